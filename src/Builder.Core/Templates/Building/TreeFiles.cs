namespace Builder.Templates.Building;

/// <summary>
/// Writes files into a bootstrapped root tree on the host, never following a symlink out of it:
/// every folder on the way must be a real folder, and whatever is at the path is replaced.
/// </summary>
internal static class TreeFiles
{
    public static void Write(string tree, string relativePath, string content, UnixFileMode mode = Mode0644)
    {
        var target = Resolve(tree, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        RequireRealFolders(tree, Path.GetDirectoryName(relativePath)!);
        if (File.Exists(target) || new FileInfo(target).LinkTarget is not null) File.Delete(target);
        File.WriteAllText(target, content);
        File.SetUnixFileMode(target, mode);
    }

    public static void Delete(string tree, string relativePath)
    {
        var target = Resolve(tree, relativePath);
        RequireRealFolders(tree, Path.GetDirectoryName(relativePath)!);
        if (File.Exists(target) || new FileInfo(target).LinkTarget is not null) File.Delete(target);
    }

    /// <summary>Whether a guest path exists in the tree, following its symlinks as the guest would (inside the tree).</summary>
    public static bool ExistsInGuest(string tree, string guestPath, int depth = 0)
    {
        if (depth > 16) return false;
        var host = Resolve(tree, guestPath.TrimStart('/'));
        var link = new FileInfo(host).LinkTarget;
        if (link is null) return File.Exists(host) || Directory.Exists(host);
        var next = link.StartsWith('/') ? link : Path.Combine(Path.GetDirectoryName(guestPath)!, link);
        return ExistsInGuest(tree, Path.GetFullPath(next, "/"), depth + 1);
    }

    private const UnixFileMode Mode0644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static string Resolve(string tree, string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(tree, relativePath));
        if (!full.StartsWith(Path.GetFullPath(tree) + "/", StringComparison.Ordinal))
            throw new InvalidOperationException($"{relativePath} is outside the tree");
        return full;
    }

    private static void RequireRealFolders(string tree, string relativeFolder)
    {
        var current = Path.GetFullPath(tree);
        foreach (var part in relativeFolder.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            if (new DirectoryInfo(current).LinkTarget is not null)
                throw new IOException($"{current} is a symlink; refusing to write through it");
        }
    }
}
