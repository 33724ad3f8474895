namespace Builder.Execution;

/// <summary>The host filesystem a path lies on, as /proc/self/mountinfo lists it: where it is mounted, from what, of which type.</summary>
internal sealed record HostFilesystem(string MountPoint, string Source, string Type)
{
    /// <summary>The mount with the longest mount point that contains the path (the path made absolute; symlinks are not followed).</summary>
    public static HostFilesystem Of(string path)
    {
        var resolved = Path.GetFullPath(path).TrimEnd('/') is { Length: > 0 } full ? full : "/";
        HostFilesystem best = new("/", "?", "?");
        try
        {
            foreach (var line in File.ReadLines("/proc/self/mountinfo"))
            {
                var fields = line.Split(' ');
                var separator = Array.IndexOf(fields, "-");
                if (fields.Length < 5 || separator < 0 || separator + 2 >= fields.Length) continue;
                var mountPoint = Unescape(fields[4]);
                if (!Contains(mountPoint, resolved) || mountPoint.Length < best.MountPoint.Length && best.Source != "?") continue;
                best = new HostFilesystem(mountPoint, Unescape(fields[separator + 2]), fields[separator + 1]);
            }
        }
        catch (IOException)
        {
            // No mount table (not Linux): the path alone is named.
        }
        return best;
    }

    /// <summary>
    /// Whether the filesystem holding the path has (next to) no space left, even for root: what a
    /// failure looks like when a tool reports only an I/O error (the export daemon's full overlay
    /// reaches the guest as a write-back error).
    /// </summary>
    public static bool IsFull(string path)
    {
        try
        {
            return new DriveInfo(Of(path).MountPoint).TotalFreeSpace < NearlyFull;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false;
        }
    }

    private const long NearlyFull = 16L << 20;

    public override string ToString() => $"{MountPoint} ({Source}, {Type})";

    private static bool Contains(string mountPoint, string path) =>
        mountPoint == "/" || path == mountPoint || path.StartsWith(mountPoint.TrimEnd('/') + "/", StringComparison.Ordinal);

    /// <summary>mountinfo writes space, tab, newline and backslash as \ooo.</summary>
    private static string Unescape(string field) =>
        System.Text.RegularExpressions.Regex.Replace(field, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());
}
