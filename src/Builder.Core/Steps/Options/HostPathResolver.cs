namespace Builder.Steps.Options;

/// <summary>
/// Where a host path really leads: every symlink in it followed, in a parent folder as in the last
/// name, as the kernel does when the file is opened. Managed code only (no realpath(3)). From the
/// first name that does not exist on, the rest is taken as written, so a long path costs one pass.
/// </summary>
internal static class HostPathResolver
{
    /// <summary>As Linux's MAXSYMLINKS: after this many links the rest is taken as written, since opening it fails anyway.</summary>
    private const int MaxLinks = 40;

    /// <param name="fullPath">An absolute path.</param>
    public static string RealPath(string fullPath)
    {
        var pending = new Stack<string>(fullPath.Split('/').Reverse());
        var resolved = new List<string>();
        var (links, onDisk) = (0, true);
        while (pending.TryPop(out var name))
        {
            if (name is "" or ".") continue;
            if (name == "..")
            {
                if (resolved.Count > 0) resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            resolved.Add(name);
            if (!onDisk) continue;
            var path = Join(resolved);
            if (LinkTarget(path) is { } target && ++links <= MaxLinks)
            {
                resolved.RemoveAt(resolved.Count - 1);
                if (target.StartsWith('/')) resolved.Clear();
                foreach (var part in target.Split('/').Reverse()) pending.Push(part);
            }
            else
            {
                onDisk = Path.Exists(path);
            }
        }
        return Join(resolved);
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or lies under it; both resolved.</summary>
    public static bool IsInside(string path, string folder) =>
        path == folder || path.StartsWith(folder.EndsWith('/') ? folder : folder + "/", StringComparison.Ordinal);

    private static string Join(List<string> names) => "/" + string.Join('/', names);

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
