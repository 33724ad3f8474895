using System.Globalization;
using System.Text;
using Builder.Processes;

namespace Builder.Host.Sessions;

/// <summary>What the host has now: its mounts (/proc/self/mountinfo), its loop devices (sysfs, as losetup --list reads them), export daemons.</summary>
internal static class HostState
{
    public const string DaemonCommand = "qemu-storage-daemon";

    /// <summary>A mount: where it is and what is mounted there (a device such as /dev/loop3, or a name such as "tmpfs").</summary>
    public sealed record Mount(string MountPoint, string Source);

    /// <summary>Every mount, unescaped (mountinfo writes space, tab, newline and backslash as \ooo).</summary>
    public static IReadOnlyList<Mount> Mounts() =>
        File.ReadAllLines("/proc/self/mountinfo").Select(line => line.Split(' ')).Where(fields => fields.Length > 4).Select(MountOf).ToList();

    /// <summary>A mountinfo line: the mount point is the fifth field; the source follows the " - " separator and the type.</summary>
    private static Mount MountOf(string[] fields)
    {
        var separator = Array.IndexOf(fields, "-", 5);
        var source = separator > 0 && separator + 2 < fields.Length ? Unescape(fields[separator + 2]) : "";
        return new Mount(Unescape(fields[4]), source);
    }

    /// <summary>Every mount point, unescaped.</summary>
    public static IReadOnlyList<string> MountPoints() => Mounts().Select(m => m.MountPoint).ToList();

    public static bool IsMounted(string path) => MountPoints().Contains(path.TrimEnd('/'), StringComparer.Ordinal);

    /// <summary>Mount points at or below a folder, deepest first.</summary>
    public static IReadOnlyList<string> MountsUnder(string folder) =>
        MountPoints()
            .Where(m => m == folder || m.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(m => m.Length)
            .ToList();

    public sealed record LoopDevice(string Device, string BackingFile, long Offset, long SizeLimit);

    /// <summary>The attached loop devices: /sys/block/loopN/loop/{backing_file,offset,sizelimit}.</summary>
    public static IReadOnlyList<LoopDevice> LoopDevices()
    {
        var devices = new List<LoopDevice>();
        foreach (var block in Directory.EnumerateDirectories("/sys/block", "loop*"))
        {
            var loop = Path.Combine(block, "loop");
            try
            {
                var backing = File.ReadAllText(Path.Combine(loop, "backing_file")).TrimEnd('\n');
                if (backing.EndsWith(" (deleted)", StringComparison.Ordinal)) backing = backing[..^" (deleted)".Length];
                devices.Add(new LoopDevice("/dev/" + Path.GetFileName(block), backing, Number(loop, "offset"), Number(loop, "sizelimit")));
            }
            catch (IOException)
            {
                // Not attached (no loop/ folder or no backing file), or detached meanwhile.
            }
        }
        return devices;
    }

    /// <summary>
    /// Loop devices on the recorded backing file and offset (and the recorded device, once known). A backing file
    /// on a filesystem that has gone (the FUSE export of a killed qemu-storage-daemon) is shown by the kernel
    /// relative to that filesystem ("/disk"), no longer by the recorded path: then the recorded device, offset and
    /// size, and a backing path that names no file, identify the loop.
    /// </summary>
    public static IReadOnlyList<string> LoopsOf(SessionResource loop) =>
        LoopDevices()
            .Where(d => d.Offset == (loop.Offset ?? 0))
            .Where(d => d.BackingFile == loop.Path || (loop.Device is not null && d.Device == loop.Device && !File.Exists(d.BackingFile)))
            .Where(d => loop.Device is null || d.Device == loop.Device)
            .Where(d => loop.Size is not { } size || d.SizeLimit == size)
            .Select(d => d.Device)
            .ToList();

    /// <summary>
    /// qemu-storage-daemon processes exporting the given file: the recorded pid when it still is one (same start time), and
    /// any other that names the file (the export file is in the session's own folder, so no one else's daemon names it).
    /// </summary>
    public static IReadOnlyList<int> DaemonsOf(SessionResource export)
    {
        var needle = "mountpoint=" + export.Path.Replace(",", ",,", StringComparison.Ordinal) + ",";
        bool IsOurs(int pid) =>
            ProcFs.Stat(pid)?.Command is { } command && DaemonCommand.StartsWith(command, StringComparison.Ordinal)
            && ProcFs.Arguments(pid).Any(a => a.Contains(needle, StringComparison.Ordinal));
        var daemons = ProcFs.Pids().Where(IsOurs).ToList();
        if (export.Pid is { } recorded && !ProcessIdentity.IsAlive(recorded, export.StartTime)) daemons.Remove(recorded);
        return daemons.Where(pid => ProcessIdentity.IsAlive(pid, null)).ToList();
    }

    /// <summary>
    /// A command's process (unshare): the recorded pid when it still is one (same start time); before the pid was known,
    /// any unshare whose wrapper names the session's guest root (each root is in the session's own folder).
    /// </summary>
    public static IReadOnlyList<int> CommandProcessesOf(SessionResource process)
    {
        if (process.Pid is { } pid) return ProcessIdentity.IsAlive(pid, process.StartTime) ? [pid] : [];
        var needle = "R=" + Commands.CommandScripts.Quote(process.Path) + "\n";
        return ProcFs.Pids()
            .Where(p => ProcFs.Stat(p)?.Command == "unshare" && ProcFs.Arguments(p).Any(a => a.Contains(needle, StringComparison.Ordinal)))
            .Where(p => ProcessIdentity.IsAlive(p, null))
            .ToList();
    }

    private static long Number(string folder, string name) =>
        long.Parse(File.ReadAllText(Path.Combine(folder, name)).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);

    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal)) return field;
        var bytes = new List<byte>();
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                bytes.Add(Convert.ToByte(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(field[i].ToString()));
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool IsOctal(string text, int start) =>
        start + 3 <= text.Length && text.Substring(start, 3).All(c => c is >= '0' and <= '7');
}
