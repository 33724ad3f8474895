using System.Diagnostics;
using System.Globalization;

namespace Builder.Processes;

/// <summary>A process's state as /proc/PID/stat gives it.</summary>
/// <param name="Command">Its command name (comm, at most 15 characters).</param>
/// <param name="State">R, S, D, Z (zombie), X (dead)…</param>
/// <param name="StartTime">Clock ticks after boot: with the pid, names the process (a reused pid has another).</param>
public sealed record ProcessStat(string Command, char State, int ParentPid, ulong StartTime)
{
    /// <summary>Running or able to run: neither a zombie nor dead.</summary>
    public bool IsLive => State is not ('Z' or 'X');
}

/// <summary>
/// The processes of this machine, read from /proc: one reader for the host backend's session
/// records, the appliance's launch watch and the search for what killed builds left running.
/// A process that is gone, or not readable, reads as absent.
/// </summary>
public static class ProcFs
{
    public static IEnumerable<int> Pids() =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Select(name => int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0);

    /// <summary>The process's state; null when there is no such process.</summary>
    public static ProcessStat? Stat(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // "pid (comm) state ppid …": comm may hold spaces and ')', so the fields resume after the last ')'.
        var open = stat.IndexOf('(');
        var close = stat.LastIndexOf(')');
        if (open < 0 || close < open) return null;
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20
            || !int.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var parent)
            || !ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
            return null;
        return new ProcessStat(stat[(open + 1)..close], fields[0][0], parent, start);
    }

    /// <summary>The arguments from /proc/PID/cmdline; empty when the process is gone.</summary>
    public static IReadOnlyList<string> Arguments(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>SIGKILL, then waits up to <paramref name="wait"/> for it to go; false when it was gone already.</summary>
    public static bool Kill(int pid, TimeSpan wait = default)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            if (wait > TimeSpan.Zero) process.WaitForExit(wait);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
