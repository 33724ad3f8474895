using System.Diagnostics;
using System.Text.Json;
using Builder.IntegrationTests.Guestfs;

namespace Builder.IntegrationTests.Pipeline;

/// <summary>What a build may leave on the host if teardown fails: mounts, loop devices, qemu processes, all under one folder.</summary>
internal static class Leftovers
{
    public static IReadOnlyList<string> Under(string folder)
    {
        var found = new List<string>();
        foreach (var line in File.ReadAllLines("/proc/self/mountinfo"))
        {
            var mountPoint = line.Split(' ')[4].Replace("\\040", " ");
            if (mountPoint.StartsWith(folder, StringComparison.Ordinal)) found.Add("mount " + mountPoint);
        }
        var loops = JsonDocument.Parse(Tools.Run("losetup", "--json", "--list") is { Length: > 0 } json ? json : "{\"loopdevices\":[]}");
        foreach (var loop in loops.RootElement.GetProperty("loopdevices").EnumerateArray())
        {
            var backing = loop.GetProperty("back-file").GetString() ?? "";
            if (backing.StartsWith(folder, StringComparison.Ordinal)) found.Add($"loop {loop.GetProperty("name").GetString()} on {backing}");
        }
        foreach (var process in Process.GetProcesses().Where(p => p.ProcessName.StartsWith("qemu", StringComparison.Ordinal)))
        {
            try
            {
                if (File.ReadAllText($"/proc/{process.Id}/cmdline").Contains(folder, StringComparison.Ordinal))
                    found.Add($"process {process.Id} {process.ProcessName}");
            }
            catch (IOException)
            {
            }
        }
        return found;
    }
}
