using Builder.Host.Native;

namespace Builder.Host.Files;

/// <summary>
/// Shell glob expansion inside the guest, as guestfs_glob_expand (glob(3) with GLOB_BRACE, no
/// trailing slash on folders): folders are listed through the rooted resolver, so a symlinked
/// folder is followed inside the guest. Sorted ordinally, duplicates removed; no match is empty.
/// </summary>
internal static class GuestGlob
{
    public static IReadOnlyList<string> Expand(GuestRoot root, string pattern, CancellationToken cancellationToken)
    {
        GuestPathParts.Validate(pattern);
        var matches = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var expanded in GlobPattern.ExpandBraces(pattern))
        {
            if (!expanded.StartsWith('/')) continue;
            foreach (var match in ExpandOne(root, expanded, cancellationToken)) matches.Add(match);
        }
        return [.. matches];
    }

    private static List<string> ExpandOne(GuestRoot root, string pattern, CancellationToken cancellationToken)
    {
        var components = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (components.Length == 0) return root.Lstat("/") is null ? [] : ["/"];
        var current = new List<string> { "" };
        for (var i = 0; i < components.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var last = i == components.Length - 1;
            var component = components[i];
            var next = new List<string>();
            foreach (var folder in current)
            {
                if (!GlobPattern.HasMagic(component))
                {
                    var path = folder + "/" + GlobPattern.Unescape(component);
                    if (last ? root.Lstat(path) is not null : IsFolder(root, path)) next.Add(path);
                    continue;
                }
                foreach (var name in List(root, folder.Length == 0 ? "/" : folder))
                {
                    if (!GlobPattern.Matches(component, name)) continue;
                    var path = folder + "/" + name;
                    if (last || IsFolder(root, path)) next.Add(path);
                }
            }
            current = next;
        }
        return current;
    }

    private static bool IsFolder(GuestRoot root, string path)
    {
        using var fd = root.TryOpen(path, OpenFlags.Path | OpenFlags.Directory, out _);
        return fd is not null;
    }

    private static IReadOnlyList<string> List(GuestRoot root, string folder)
    {
        using var fd = root.TryOpen(folder, OpenFlags.ReadOnly | OpenFlags.Directory, out var errno);
        if (fd is null)
        {
            if (errno is Errno.ENOENT or Errno.ENOTDIR or Errno.ELOOP) return [];
            throw new NativeException(errno, "opendir");
        }
        return GuestTreeRemover.Names(fd);
    }
}
