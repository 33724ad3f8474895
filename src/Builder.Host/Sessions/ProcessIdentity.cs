using Builder.Processes;

namespace Builder.Host.Sessions;

/// <summary>A process named by its pid and its start time, so a reused pid is not mistaken for it.</summary>
internal static class ProcessIdentity
{
    /// <summary>Field 22 of /proc/PID/stat (clock ticks after boot); null when there is no such process.</summary>
    public static ulong? StartTime(int pid) => ProcFs.Stat(pid)?.StartTime;

    public static ulong OwnStartTime() => StartTime(Environment.ProcessId) ?? 0;

    /// <summary>Alive, not a zombie, and started when recorded.</summary>
    public static bool IsAlive(int pid, ulong? startTime) =>
        ProcFs.Stat(pid) is { IsLive: true } stat && (startTime is not { } expected || stat.StartTime == expected);
}
