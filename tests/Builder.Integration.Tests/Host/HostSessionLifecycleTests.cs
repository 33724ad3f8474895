using System.Diagnostics;
using System.Text;
using Builder.Execution;
using Builder.Guests;
using Builder.Host;
using Builder.IntegrationTests.Guestfs;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Host;

/// <summary>Opening and closing host sessions on the tiny template: flush on close, teardown, cancellation, disks of every shape.</summary>
[Collection(HostBackendCollection.Name)]
public sealed partial class HostSessionLifecycleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly OpenedGuests _opened = new(output);
    private readonly TestWorkspace _workspace = TestWorkspace.Create("host-lifecycle");

    private HostBackend Backend() => HostTools.Backend(_workspace.File("store"));

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Closing_flushes_to_the_overlay_and_leaves_nothing_on_the_host()
    {
        var template = _workspace.BuildTinyTemplate();
        var templateDigest = Tools.Sha256(template);
        var overlay = _workspace.CreateOverlay(template);

        var guest = Opened((HostGuest)(await HostTools.OpenAsync(Backend(), new GuestDisk(overlay, "qcow2"), new RecordingEvents())).Guest);
        var (workFolder, sessionFile) = (guest.WorkFolder, guest.SessionFile);
        Assert.True(File.Exists(sessionFile));
        Assert.NotEmpty(HostTools.LeftBehind(workFolder));
        await guest.WriteFileAsync("/etc/motd", Bytes("written before close\n"));
        // The tiny guest's shell cannot start, but the attempt stages the command in /run/builder (a folder the guest lacks).
        await Assert.ThrowsAsync<GuestOperationException>(() => guest.RunAsync(new GuestCommand("true\n"), _ => { }).AsTask());
        Assert.Equal(GuestFileType.Directory, (await guest.LstatAsync("/run/builder"))!.Type);
        var stopwatch = Stopwatch.StartNew();
        await guest.DisposeAsync();
        output.WriteLine($"teardown: {stopwatch.Elapsed.TotalMilliseconds:0} ms");
        await guest.DisposeAsync();

        Assert.Empty(HostTools.LeftBehind(_workspace.Path));
        Assert.False(Directory.Exists(workFolder), "the work folder is removed");
        Assert.False(File.Exists(sessionFile), "the session file is removed");
        Assert.Empty(Backend().FindStale());
        Assert.Contains("No errors were found on the image.", HostTools.QemuImgCheck(overlay));
        var partition = PartitionOf(overlay);
        Assert.Equal("written before close\n", Tools.Run("debugfs", "-R", "cat /etc/motd", partition));
        Assert.DoesNotContain("run", Tools.Run("debugfs", "-R", "ls -p /", partition).Split('/'));
        Assert.Equal(templateDigest, Tools.Sha256(template));
    }

    [Fact]
    public async Task A_disk_with_one_bare_filesystem_is_mounted_at_the_root_with_a_notice()
    {
        var staging = Directory.CreateDirectory(_workspace.File("staging")).FullName;
        await File.WriteAllTextAsync(Path.Combine(staging, "role"), "data\n");
        var raw = _workspace.File("data.raw");
        await using (var stream = File.Create(raw)) stream.SetLength(64L * 1024 * 1024);
        Tools.Run("mke2fs", "-q", "-F", "-t", "ext4", "-d", staging, raw);
        var events = new RecordingEvents();

        var (guest, _) = await HostTools.OpenAsync(Backend(), new GuestDisk(raw, "raw"), events);
        await using (guest)
        {
            Assert.Equal(GuestInfo.Unknown("/dev/sda"), guest.Info);
            Assert.Equal("data\n", Encoding.UTF8.GetString(await guest.ReadFileAsync("/role")));
            await guest.WriteFileAsync("/flushed.txt", Bytes("written before close\n"));
        }

        Assert.Contains(new Notice("no operating system found by inspection; mounted /dev/sda at /"), events.OfType<Notice>());
        Assert.Contains(new PhaseStarted("export", "Using the raw disk"), events.OfType<PhaseStarted>());
        Assert.Empty(HostTools.LeftBehind(_workspace.Path));
        Assert.Empty(HostTools.LoopsOn(raw));
        Assert.Equal("written before close\n", Tools.Run("debugfs", "-R", "cat /flushed.txt", raw));
    }

    [Fact]
    public async Task A_layout_that_does_not_fit_the_disk_falls_back_to_inspection()
    {
        var overlay = _workspace.CreateOverlay(_workspace.BuildTinyTemplate());
        var wrong = new GuestLayout(new GuestInfo("linux", "fedora", 40, 0, "dnf", "/dev/sda2", "x86_64"), [new GuestMount("/", "/dev/sda2")]);
        var events = new RecordingEvents();

        var (guest, _) = await HostTools.OpenAsync(Backend(), new GuestDisk(overlay, "qcow2", wrong), events);
        await using (guest)
        {
            Assert.Equal(new GuestInfo("linux", "debian", 12, 0, "apt", "/dev/sda1", "x86_64"), guest.Info);
            Assert.Equal("tiny\n", Encoding.UTF8.GetString(await guest.ReadFileAsync("/etc/hostname")));
        }

        Assert.Contains(new Notice("the template's layout does not fit the disk; inspecting it instead"), events.OfType<Notice>());
        Assert.Empty(HostTools.LeftBehind(_workspace.Path));
    }

    [Fact]
    public async Task A_broken_image_fails_to_open_with_what_qemu_said_and_leaves_nothing()
    {
        var broken = _workspace.File("broken.qcow2");
        await File.WriteAllTextAsync(broken, "this is not a qcow2 image\n");

        var error = await Assert.ThrowsAsync<GuestOperationException>(
            () => Backend().OpenAsync(new GuestDisk(broken, "qcow2"), HostTools.Options(), IBuildEvents.None, CancellationToken.None));

        output.WriteLine(error.Message);
        Assert.Equal(("export", broken), (error.Operation, error.GuestPath));
        Assert.Contains("qcow2", error.BackendMessage, StringComparison.Ordinal);
        Assert.Empty(HostTools.LeftBehind(_workspace.Path));
        Assert.Empty(Directory.EnumerateFiles(_workspace.File("store/host-sessions"), "*.json"));
        Assert.Empty(Directory.EnumerateDirectories(_workspace.File("store/host-sessions")));
    }

    [Fact]
    public async Task A_missing_image_is_refused()
    {
        var error = await Assert.ThrowsAsync<GuestOperationException>(
            () => Backend().OpenAsync(new GuestDisk(_workspace.File("absent.qcow2"), "qcow2"), HostTools.Options(), IBuildEvents.None, CancellationToken.None));

        Assert.Equal(("open", "no such disk image"), (error.Operation, error.BackendMessage));
    }

    [Fact]
    public async Task Cancelling_while_opening_leaves_nothing()
    {
        var overlay = _workspace.CreateOverlay(_workspace.BuildTinyTemplate());
        foreach (var delay in new[] { 0, 5, 20, 40 })
        {
            using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(delay));
            try
            {
                var guest = await Backend().OpenAsync(new GuestDisk(overlay, "qcow2"), HostTools.Options(), IBuildEvents.None, cancellation.Token);
                await guest.DisposeAsync();
            }
            catch (OperationCanceledException)
            {
            }
            Assert.Empty(HostTools.LeftBehind(_workspace.Path));
        }
        Assert.Contains("No errors were found on the image.", HostTools.QemuImgCheck(overlay));
        var sessions = Directory.EnumerateFiles(_workspace.File("store/host-sessions"), "*.json").Select(File.ReadAllText).ToList();
        Assert.True(sessions.Count == 0, string.Join("\n", sessions));
    }

    [Fact]
    public async Task Cancelling_an_open_session_stops_a_long_upload_and_disposing_leaves_nothing()
    {
        var template = _workspace.BuildTinyTemplate();
        var templateDigest = Tools.Sha256(template);
        var overlay = _workspace.CreateOverlay(template);
        // A FIFO fed slowly: the upload is still running, whatever the host's disk speed, when the session is cancelled.
        var slow = _workspace.File("slow.fifo");
        Tools.Run("mkfifo", slow);
        using var session = new CancellationTokenSource();
        using var writerStop = new CancellationTokenSource();
        var guest = Opened(await Backend().OpenAsync(new GuestDisk(overlay, "qcow2"), HostTools.Options(), IBuildEvents.None, session.Token));
        var writer = Task.Run(async () =>
        {
            try
            {
                await using var fifo = new FileStream(slow, FileMode.Open, FileAccess.Write);
                var chunk = new byte[1 << 20];
                while (!writerStop.IsCancellationRequested)
                {
                    await fifo.WriteAsync(chunk);
                    await Task.Delay(20);
                }
            }
            catch (IOException)
            {
                // The reader went away.
            }
        });

        var upload = guest.UploadAsync(slow, "/srv/big.bin").AsTask();
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.False(upload.IsCompleted, "the upload should still be running when the session is cancelled");
        var stopwatch = Stopwatch.StartNew();
        await session.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload);
        output.WriteLine($"upload returned {stopwatch.Elapsed.TotalMilliseconds:0} ms after cancellation");
        await writerStop.CancelAsync();
        await writer;

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"took {stopwatch.Elapsed}");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => guest.LstatAsync("/etc").AsTask());
        await guest.DisposeAsync();
        Assert.Empty(HostTools.LeftBehind(_workspace.Path));
        Assert.Contains("No errors were found on the image.", HostTools.QemuImgCheck(overlay));
        Assert.Equal(templateDigest, Tools.Sha256(template));
    }

    /// <summary>The tiny template's root filesystem starts at 1 MiB: debugfs reads a copy of it.</summary>
    private string PartitionOf(string overlay)
    {
        var flat = _workspace.File($"flat-{Guid.NewGuid():N}.raw");
        Tools.Run("qemu-img", "convert", "-q", "-f", "qcow2", "-O", "raw", overlay, flat);
        var partition = flat + ".part";
        Tools.Run("dd", $"if={flat}", $"of={partition}", "bs=1M", "skip=1", "status=none");
        return partition;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Sessions a failed test did not close are closed before the workspace goes (deleting it would reach into their mounts).</summary>
    public async Task DisposeAsync()
    {
        await _opened.CloseAllAsync();
        _workspace.Dispose();
    }

    private T Opened<T>(T guest) where T : IGuest => _opened.Add(guest);
}
