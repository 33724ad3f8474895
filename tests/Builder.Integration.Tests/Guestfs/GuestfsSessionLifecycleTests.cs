using System.Diagnostics;
using System.Text;
using Builder.Execution;
using Builder.Guestfs;
using Builder.Guestfs.Appliance;
using Builder.Guests;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Guestfs;

/// <summary>Opening and closing sessions: launch time-out, cancellation, flush on close. Each test launches its own appliance.</summary>
[Collection(ApplianceCollection.Name)]
public sealed class GuestfsSessionLifecycleTests(ITestOutputHelper output) : IDisposable
{
    private readonly TestWorkspace _workspace = TestWorkspace.Create("lifecycle");

    private GuestfsBackend Backend() => Tools.Backend(_workspace.File("store"));

    private static GuestSessionOptions Tcg(TimeSpan launchTimeout, bool trace = false) => new(Accelerator.Tcg, launchTimeout, trace);

    [Fact]
    public async Task A_launch_that_exceeds_its_timeout_is_killed_and_reported()
    {
        var overlay = _workspace.CreateOverlay(_workspace.BuildTinyTemplate());
        var stopwatch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<TimeoutException>(
            () => Backend().OpenAsync(new GuestDisk(overlay, "qcow2"), Tcg(TimeSpan.FromSeconds(1)), IBuildEvents.None, CancellationToken.None));

        output.WriteLine($"timed out launch returned after {stopwatch.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal("appliance launch exceeded 1 s and was killed (accelerator: tcg)", error.Message);
        // Seconds with a warm appliance cache; a cold one (supermin building it) delays qemu, and so the kill.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(60), $"took {stopwatch.Elapsed}");
        Assert.Empty(QemuProcesses.ChildrenUsingDisk(overlay));
    }

    [Fact]
    public async Task A_failed_launch_is_retried_once_and_reports_what_qemu_said()
    {
        var broken = _workspace.File("broken.qcow2");
        await File.WriteAllTextAsync(broken, "this is not a qcow2 image\n");
        var stopwatch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<GuestOperationException>(
            () => Backend().OpenAsync(new GuestDisk(broken, "qcow2"), Tcg(TimeSpan.FromMinutes(5)), IBuildEvents.None, CancellationToken.None));

        output.WriteLine($"failed after {stopwatch.Elapsed.TotalSeconds:0.0} s: {error.Message}");
        Assert.Equal(("launch", broken), (error.Operation, error.GuestPath));
        Assert.Contains("qcow2", error.BackendMessage);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromSeconds(2), "the appliance-launch pipeline retries once after 2 s");
        Assert.Empty(QemuProcesses.ChildrenUsingDisk(broken));
    }

    [Fact]
    public async Task Cancelling_a_launch_kills_the_appliance()
    {
        var overlay = _workspace.CreateOverlay(_workspace.BuildTinyTemplate());
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Backend().OpenAsync(new GuestDisk(overlay, "qcow2"), Tcg(TimeSpan.FromMinutes(5)), IBuildEvents.None, cancellation.Token));

        output.WriteLine($"cancelled launch returned after {stopwatch.Elapsed.TotalSeconds:0.0} s");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"took {stopwatch.Elapsed}");
        Assert.Empty(QemuProcesses.ChildrenUsingDisk(overlay));
    }

    [Fact]
    public async Task Cancelling_an_open_session_kills_the_appliance_so_a_blocking_call_returns()
    {
        var template = _workspace.BuildTinyTemplate();
        var templateDigest = Tools.Sha256(template);
        var overlay = _workspace.CreateOverlay(template);
        var bigFile = _workspace.File("big.bin");
        await using (var stream = File.Create(bigFile)) stream.SetLength(180L * 1024 * 1024);
        using var session = new CancellationTokenSource();
        var guest = await Backend().OpenAsync(new GuestDisk(overlay, "qcow2"), Tcg(TimeSpan.FromMinutes(5)), IBuildEvents.None, session.Token);
        var qemu = Assert.Single(QemuProcesses.ChildrenUsingDisk(overlay));

        var upload = guest.UploadAsync(bigFile, "/srv/big.bin").AsTask();
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.False(upload.IsCompleted, "the upload should still be running when the session is cancelled");
        var stopwatch = Stopwatch.StartNew();
        await session.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload);

        output.WriteLine($"blocking upload returned {stopwatch.Elapsed.TotalMilliseconds:0} ms after cancellation");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
        Assert.Empty(QemuProcesses.ChildrenUsingDisk(overlay));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => guest.LstatAsync("/etc").AsTask());
        await guest.DisposeAsync();
        Assert.False(Directory.Exists($"/proc/{qemu}"), $"qemu {qemu} is still there (or a zombie) after dispose");
        Assert.Equal(templateDigest, Tools.Sha256(template));
    }

    [Fact]
    public async Task Closing_a_session_flushes_its_writes_to_the_overlay_and_leaves_the_template_unchanged()
    {
        // A disk with one bare ext4 filesystem and no operating system: the fallback mounts it at "/".
        var staging = Directory.CreateDirectory(_workspace.File("staging")).FullName;
        await File.WriteAllTextAsync(Path.Combine(staging, "role"), "data\n");
        var raw = _workspace.File("data.raw");
        await using (var stream = File.Create(raw)) stream.SetLength(64L * 1024 * 1024);
        Tools.Run("mke2fs", "-q", "-F", "-t", "ext4", "-d", staging, raw);
        var template = _workspace.File("data.qcow2");
        Tools.Run("qemu-img", "convert", "-q", "-f", "raw", "-O", "qcow2", raw, template);
        var templateDigest = Tools.Sha256(template);
        var overlay = _workspace.CreateOverlay(template);
        var events = new RecordingEvents();

        var guest = await Backend().OpenAsync(new GuestDisk(overlay, "qcow2"), Tcg(TimeSpan.FromMinutes(5), trace: true), events, CancellationToken.None);
        await guest.WriteFileAsync("/flushed.txt", Encoding.UTF8.GetBytes("written before close\n"));
        Assert.Equal(GuestInfo.Unknown("/dev/sda"), guest.Info);
        await guest.DisposeAsync();

        Assert.Contains(new Notice("no operating system found by inspection; mounted /dev/sda at /"), events.OfType<Notice>());
        Assert.Contains(events.OfType<TraceLine>(), line => line.Source == "trace" && line.Text.Contains("write", StringComparison.Ordinal));
        Assert.Empty(QemuProcesses.ChildrenUsingDisk(overlay));
        var flat = _workspace.File("flat.raw");
        Tools.Run("qemu-img", "convert", "-q", "-f", "qcow2", "-O", "raw", overlay, flat);
        Assert.Equal("written before close\n", Tools.Run("debugfs", "-R", "cat /flushed.txt", flat));
        Assert.Equal(templateDigest, Tools.Sha256(template));
    }

    public void Dispose() => _workspace.Dispose();
}
