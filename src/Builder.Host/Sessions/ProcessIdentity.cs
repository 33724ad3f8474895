using System.Globalization;

namespace Builder.Host.Sessions;

/// <summary>A process named by its pid and its start time, so a reused pid is not mistaken for it.</summary>
internal static class ProcessIdentity
{
    /// <summary>Field 22 of /proc/PID/stat (clock ticks after boot); null when there is no such process.</summary>
    public static ulong? StartTime(int pid)
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
        // The command name (field 2) is in parentheses and may contain spaces or ')': fields resume after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start) ? start : null;
    }

    public static ulong OwnStartTime() => StartTime(Environment.ProcessId) ?? 0;

    /// <summary>Alive, not a zombie, and started when recorded.</summary>
    public static bool IsAlive(int pid, ulong? startTime)
    {
        if (StartTime(pid) is not { } actual || (startTime is { } expected && actual != expected)) return false;
        return !IsZombie(pid);
    }

    public static string? Command(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
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

    public static IEnumerable<int> All() =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Select(name => int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0);

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }
}
