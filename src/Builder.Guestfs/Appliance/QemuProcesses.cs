using Builder.Processes;

namespace Builder.Guestfs.Appliance;

/// <summary>
/// Finds the qemu processes that this process started, through /proc, so a launch that hangs or is
/// cancelled can be killed. A qemu is ours for a disk when it is our child and its command line
/// opens that disk (libguestfs passes <c>-drive file=PATH,…</c>, with commas doubled).
/// </summary>
internal static class QemuProcesses
{
    /// <summary>Live qemu-system-* children of this process whose command line names the disk.</summary>
    public static IReadOnlyList<int> ChildrenUsingDisk(string diskPath)
    {
        var needles = DriveArguments(diskPath);
        var found = new List<int>();
        foreach (var pid in ChildQemuPids())
        {
            var arguments = ProcFs.Arguments(pid);
            if (arguments.Any(argument => needles.Any(needle => MatchesDrive(argument, needle)))) found.Add(pid);
        }
        return found;
    }

    /// <summary>SIGKILL every qemu child using the disk; returns how many were signalled.</summary>
    public static int KillChildrenUsingDisk(string diskPath)
    {
        var pids = ChildrenUsingDisk(diskPath);
        foreach (var pid in pids) ProcFs.Kill(pid);
        return pids.Count;
    }

    /// <summary>SIGKILL the pid only while it is still a live qemu child of ours (a reaped pid may have been reused).</summary>
    public static bool KillIfChildQemu(int pid)
    {
        if (pid <= 0 || !IsLiveChildQemu(pid)) return false;
        ProcFs.Kill(pid);
        return true;
    }

    private static IEnumerable<int> ChildQemuPids() => ProcFs.Pids().Where(IsLiveChildQemu);

    private static bool IsLiveChildQemu(int pid) =>
        ProcFs.Stat(pid) is { IsLive: true } stat && stat.ParentPid == Environment.ProcessId
                                                   && stat.Command.StartsWith("qemu-system", StringComparison.Ordinal);

    private static bool MatchesDrive(string argument, string needle)
    {
        var at = argument.IndexOf(needle, StringComparison.Ordinal);
        if (at < 0) return false;
        var end = at + needle.Length;
        // Not a prefix of a longer path, and not a doubled (escaped) comma inside the path.
        return end == argument.Length || (argument[end] == ',' && (end + 1 == argument.Length || argument[end + 1] != ','));
    }

    private static string[] DriveArguments(string diskPath)
    {
        var full = Path.GetFullPath(diskPath);
        return new[] { full, RealPath(full) }.Distinct().Select(path => "file=" + path.Replace(",", ",,")).ToArray();
    }

    /// <summary>The path with every symlink resolved, as realpath(3) gives it (libguestfs may pass either).</summary>
    internal static string RealPath(string path, int depth = 0)
    {
        var current = "/";
        foreach (var part in Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            try
            {
                var target = new FileInfo(next).LinkTarget;
                if (target is not null && depth < 40)
                    next = RealPath(Path.GetFullPath(target, current), depth + 1);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            current = next;
        }
        return current;
    }
}
