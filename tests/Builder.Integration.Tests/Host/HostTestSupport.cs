using System.Diagnostics;
using System.Text.Json;
using Builder.Guests;
using Builder.Host;
using Builder.IntegrationTests.Guestfs;
using Builder.IntegrationTests.Templates;
using Builder.Storage;
using Builder.Templates;

namespace Builder.IntegrationTests.Host;

/// <summary>Host-backend tests that mount, loop and export run one at a time: they count the host's loop devices and daemons.</summary>
[CollectionDefinition(Name)]
public sealed class HostBackendCollection
{
    public const string Name = "host backend";
}

internal static class HostTools
{
    public static HostBackend Backend(string store) => new(new StoreLocation(store), TimeProvider.System);

    public static GuestSessionOptions Options(bool network = false, bool trace = false) =>
        new(Accelerator.Auto, TimeSpan.FromMinutes(1), trace, network);

    public static async Task<(IGuest Guest, TimeSpan Elapsed)> OpenAsync(
        HostBackend backend, GuestDisk disk, RecordingEvents events, bool network = false, bool trace = false, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var guest = await backend.OpenAsync(disk, Options(network, trace), events, cancellationToken);
        return (guest, stopwatch.Elapsed);
    }

    /// <summary>A fresh qcow2 overlay of the shared debian-12 template, with the template's layout.</summary>
    public static GuestDisk DebianOverlay(DebianTemplate debian, TestWorkspace workspace, string name = "overlay.qcow2") =>
        new(workspace.CreateOverlay(debian.Template.ImagePath, name), "qcow2", ResolvedTemplate.From("debian-12", debian.Template).Layout());

    /// <summary>What a session could leave on the host: mounts below a folder, loop devices on files below it, daemons naming it.</summary>
    public static IReadOnlyList<string> LeftBehind(params string[] folders)
    {
        // A detached loop device goes once its last opener closes it, and udev's probes of a device
        // that just changed can hold it for a moment: what is left is looked at again for a few seconds.
        var left = LeftBehindNow(folders);
        for (var attempt = 0; left.Count > 0 && attempt < 25; attempt++)
        {
            Thread.Sleep(200);
            left = LeftBehindNow(folders);
        }
        return left;
    }

    private static List<string> LeftBehindNow(string[] folders)
    {
        var left = new List<string>();
        foreach (var folder in folders)
        {
            var prefix = folder.TrimEnd('/') + "/";
            left.AddRange(File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4])
                .Where(m => m == folder || m.StartsWith(prefix, StringComparison.Ordinal)).Select(m => $"mount {m}"));
            using var loops = JsonDocument.Parse(LosetupList());
            if (loops.RootElement.TryGetProperty("loopdevices", out var devices))
                left.AddRange(devices.EnumerateArray()
                    .Where(d => d.GetProperty("back-file").GetString() is { } back && back.StartsWith(prefix, StringComparison.Ordinal))
                    .Select(d => $"loop {d.GetProperty("name").GetString()} on {d.GetProperty("back-file").GetString()}"));
            left.AddRange(Process.GetProcesses()
                .Where(p => p.ProcessName.StartsWith("qemu-storage", StringComparison.Ordinal))
                .Where(p => Cmdline(p.Id).Contains(folder, StringComparison.Ordinal))
                .Select(p => $"qemu-storage-daemon {p.Id}"));
        }
        return left;
    }

    /// <summary>Processes whose command line contains the marker (a command's leftover, for example).</summary>
    public static IReadOnlyList<int> ProcessesWith(string marker) =>
        Process.GetProcesses().Where(p => p.Id != Environment.ProcessId && Cmdline(p.Id).Contains(marker, StringComparison.Ordinal)).Select(p => p.Id).ToList();

    /// <summary>Loop devices whose backing file is this file.</summary>
    public static IReadOnlyList<string> LoopsOn(string file)
    {
        using var loops = JsonDocument.Parse(LosetupList());
        return loops.RootElement.TryGetProperty("loopdevices", out var devices)
            ? devices.EnumerateArray().Where(d => d.GetProperty("back-file").GetString() == file).Select(d => d.GetProperty("name").GetString()!).ToList()
            : [];
    }

    public static string QemuImgCheck(string image) => Tools.Run("qemu-img", "check", image);

    private static string LosetupList()
    {
        var output = Tools.Run("losetup", "--json", "--list");
        return output.Trim().Length == 0 ? "{}" : output;
    }

    private static string Cmdline(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }
}

/// <summary>
/// One host session on a fresh overlay of the tiny template (no layout, so it is inspected), shared by
/// a test class. Its store is the workspace's, so its session files are the test's own.
/// </summary>
public sealed class TinyHostSessionFixture : IAsyncLifetime
{
    internal TestWorkspace Workspace { get; } = TestWorkspace.Create("host-session");
    internal RecordingEvents Events { get; } = new();
    public IGuest Guest { get; private set; } = null!;
    public string Template { get; private set; } = "";
    public string Overlay { get; private set; } = "";
    public string Store => Workspace.File("store");
    public TimeSpan OpenElapsed { get; private set; }

    public async Task InitializeAsync()
    {
        Template = Workspace.BuildTinyTemplate();
        Overlay = Workspace.CreateOverlay(Template);
        (Guest, OpenElapsed) = await HostTools.OpenAsync(HostTools.Backend(Store), new GuestDisk(Overlay, "qcow2"), Events);
    }

    public async Task DisposeAsync()
    {
        await Guest.DisposeAsync();
        Workspace.Dispose();
    }
}
