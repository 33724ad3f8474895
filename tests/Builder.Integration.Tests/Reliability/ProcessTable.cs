using System.Diagnostics;

namespace Builder.IntegrationTests.Reliability;

/// <summary>
/// Every process of the machine, read from /proc, whoever its parent: what a fault test checks for
/// orphans. A process is found by a marker in its command line (a test's own folder or script).
/// </summary>
internal static class ProcessTable
{
    /// <summary>Live processes (not zombies, whose command line is empty) whose command line holds the marker.</summary>
    public static IReadOnlyList<(int Pid, string CommandLine)> Mentioning(string marker)
    {
        var found = new List<(int, string)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId) continue;
            string commandLine;
            try { commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').Trim(); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            if (commandLine.Contains(marker, StringComparison.Ordinal)) found.Add((pid, commandLine));
        }
        return found;
    }

    /// <summary>The qemu-system processes whose command line holds the marker.</summary>
    public static IReadOnlyList<int> QemuMentioning(string marker) =>
        [.. Mentioning(marker).Where(p => p.CommandLine.Split(' ')[0].Contains("qemu-system", StringComparison.Ordinal)).Select(p => p.Pid)];

    /// <summary>Waits up to <paramref name="limit"/> for no process to mention the marker; the survivors, if any.</summary>
    public static async Task<IReadOnlyList<(int Pid, string CommandLine)>> GoneAsync(string marker, TimeSpan limit)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var left = Mentioning(marker);
            if (left.Count == 0 || stopwatch.Elapsed > limit) return left;
            await Task.Delay(100);
        }
    }

    /// <summary>Waits up to <paramref name="limit"/> for a qemu that mentions the marker; its pid, or null.</summary>
    public static async Task<int?> QemuAsync(string marker, TimeSpan limit)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < limit)
        {
            if (QemuMentioning(marker) is [var pid, ..]) return pid;
            await Task.Delay(100);
        }
        return null;
    }

    /// <summary>SIGKILL, as a crash (or the OOM killer) would end the process.</summary>
    public static void Kill(int pid)
    {
        using var process = Process.GetProcessById(pid);
        process.Kill();
    }
}
