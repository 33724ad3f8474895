using System.Globalization;
using Builder.Host.Files;
using Builder.Host.Native;

namespace Builder.Host.Mounting;

/// <summary>The guest filesystems a session has mounted, as the kernel sees them, and flushing them to the image.</summary>
internal static class MountedFilesystems
{
    /// <summary>syncfs on every guest filesystem: through the loop devices and the export, into the image file.</summary>
    public static void Sync(GuestRoot root)
    {
        foreach (var (guestPath, _) in List(root))
        {
            using var folder = root.Open(guestPath, OpenFlags.ReadOnly | OpenFlags.Directory);
            if (LibC.Syncfs(folder.Number) != 0) throw NativeException.Last("syncfs");
        }
    }

    /// <summary>The guest filesystems mounted under the root (guest path and loop device), from /proc/self/mountinfo.</summary>
    public static List<(string GuestPath, string Device)> List(GuestRoot root)
    {
        var rootFolder = root.Fd.HostPath();
        var mounts = new List<(string, string)>();
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var separator = line.IndexOf(" - ", StringComparison.Ordinal);
            if (separator < 0) continue;
            var fields = line[..separator].Split(' ');
            var tail = line[(separator + 3)..].Split(' ');
            if (fields.Length < 5 || tail.Length < 2) continue;
            var mountPoint = Unescape(fields[4]);
            var source = Unescape(tail[1]);
            if (!source.StartsWith("/dev/loop", StringComparison.Ordinal)) continue;
            if (mountPoint == rootFolder) mounts.Add(("/", source));
            else if (mountPoint.StartsWith(rootFolder + "/", StringComparison.Ordinal)) mounts.Add((mountPoint[rootFolder.Length..], source));
        }
        return mounts.DistinctBy(m => m.Item1).ToList();
    }

    /// <summary>mountinfo escapes space, tab, newline and backslash as \ooo (octal).</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\')) return field;
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && field.AsSpan(i + 1, 3).ToString().All(c => c is >= '0' and <= '7'))
            {
                text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else text.Append(field[i]);
        }
        return text.ToString();
    }
}
