using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Builder.Guests;
using Builder.Host;
using Builder.IntegrationTests.Guestfs;
using Builder.IntegrationTests.Templates;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Host;

/// <summary>
/// Commands whose checks need a host session of their own on a debian-12 overlay: closed (to read the disk
/// back), without network, killed, or opened without the template's layout.
/// </summary>
[Collection(DebianTemplateCollection.Name)]
public sealed class HostOwnSessionTests(DebianTemplate debian, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<IGuest> _opened = [];
    private readonly TestWorkspace _workspace = TestWorkspace.Create("host-own");

    private HostBackend Backend() => HostTools.Backend(_workspace.File("store"));

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Sessions a failed test did not close are closed before the workspace goes (deleting it would reach into their mounts).</summary>
    public async Task DisposeAsync()
    {
        foreach (var guest in _opened)
        {
            try { await guest.DisposeAsync(); }
            catch (GuestOperationException e) { output.WriteLine(e.ToString()); }
        }
        _workspace.Dispose();
    }

    private T Opened<T>(T guest) where T : IGuest
    {
        _opened.Add(guest);
        return guest;
    }

    [Fact]
    public async Task A_secret_reaches_the_script_and_leaves_no_trace_on_disk_or_in_the_events()
    {
        var secret = "tok-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var disk = HostTools.DebianOverlay(debian, _workspace);
        var events = new RecordingEvents();
        var (guest, opened) = await HostTools.OpenAsync(Backend(), disk, events, trace: true);
        CommandRun run;
        byte[] digest;
        await using (guest)
        {
            run = await DebianGuestSupport.RunAsync(guest, new GuestCommand(
                "printf '%s' \"$TOKEN\" | sha256sum | cut -d' ' -f1 > /root/token.sha256\necho stored\n",
                new Dictionary<string, string> { ["TOKEN"] = secret }));
            digest = await guest.ReadFileAsync("/root/token.sha256");
            Assert.NotNull(await guest.LstatAsync("/run/builder"));
        }
        output.WriteLine($"opened in {opened.TotalMilliseconds:0} ms; command returned in {run.Returned.TotalMilliseconds:0} ms");

        Assert.Equal(0, run.Result.ExitCode);
        Assert.Equal(["stored"], run.Lines);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))) + "\n", Encoding.UTF8.GetString(digest));
        Assert.Contains(events.OfType<Builder.Execution.TraceLine>(), t => t.Text.Contains("environment: TOKEN", StringComparison.Ordinal));
        Assert.DoesNotContain(events.All, e => e.ToString().Contains(secret[4..], StringComparison.Ordinal));
        Assert.Equal(-1, File.ReadAllBytes(disk.Path).AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret[4..])));
        Assert.Empty(HostTools.LeftBehind(_workspace.Path));
        Assert.Contains("No errors were found on the image.", HostTools.QemuImgCheck(disk.Path));
        Assert.Equal(debian.Template.Digest, "sha256:" + Tools.Sha256(debian.Template.ImagePath));

        // The staging tmpfs is gone, and so is the folder it was mounted on.
        var (again, _) = await HostTools.OpenAsync(Backend(), disk, new RecordingEvents());
        await using (again)
        {
            Assert.Null(await again.LstatAsync("/run/builder"));
            Assert.Equal(GuestFileType.Directory, (await again.LstatAsync("/run"))!.Type);
            Assert.Equal(digest, await again.ReadFileAsync("/root/token.sha256"));
        }
    }

    [Fact]
    public async Task A_command_that_asks_for_the_network_in_a_session_without_it_is_refused()
    {
        var (guest, _) = await HostTools.OpenAsync(Backend(), HostTools.DebianOverlay(debian, _workspace), new RecordingEvents());
        await using (guest)
        {
            var error = await Assert.ThrowsAsync<GuestOperationException>(
                () => guest.RunAsync(new GuestCommand("echo never\n", Network: true), _ => { }).AsTask());

            Assert.Contains("network", error.Message, StringComparison.Ordinal);
            var run = await DebianGuestSupport.RunAsync(guest, new GuestCommand("getent hosts deb.debian.org || echo offline\n"));
            Assert.Equal(["offline"], run.Lines);
        }
    }

    [Fact]
    public async Task Cancelling_a_running_command_kills_its_process_tree_at_once_and_disposing_leaves_nothing()
    {
        var disk = HostTools.DebianOverlay(debian, _workspace);
        using var cancellation = new CancellationTokenSource();
        var guest = Opened(await Backend().OpenAsync(disk, HostTools.Options(), new RecordingEvents(), cancellation.Token));
        var marker = "sleeper-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var stopwatch = new Stopwatch();

        var run = guest.RunAsync(new GuestCommand($"cp /bin/sleep /tmp/{marker}\nsetsid /tmp/{marker} 600 &\necho started\n/tmp/{marker} 601\n"), line =>
        {
            if (line != "started") return;
            stopwatch.Start();
            cancellation.Cancel();
        }, CancellationToken.None).AsTask();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        output.WriteLine($"the command returned {stopwatch.Elapsed.TotalMilliseconds:0} ms after cancellation");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"took {stopwatch.Elapsed}");
        Assert.Empty(HostTools.ProcessesWith(marker));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => guest.LstatAsync("/etc").AsTask());
        await guest.DisposeAsync();
        Assert.Empty(HostTools.LeftBehind(_workspace.Path));
        Assert.Contains("No errors were found on the image.", HostTools.QemuImgCheck(disk.Path));
        Assert.Equal(debian.Template.Digest, "sha256:" + Tools.Sha256(debian.Template.ImagePath));
    }

    [Fact]
    public async Task Without_a_layout_the_debian_template_is_inspected_like_the_appliance_does()
    {
        var disk = HostTools.DebianOverlay(debian, _workspace) with { Layout = null };
        var events = new RecordingEvents();

        var (guest, opened) = await HostTools.OpenAsync(Backend(), disk, events);
        await using (guest)
        {
            output.WriteLine($"inspected and mounted in {opened.TotalMilliseconds:0} ms: {guest.Info}");
            Assert.Equal(("linux", "debian", 12, "apt", "/dev/sda1", "x86_64"),
                (guest.Info.OsType, guest.Info.Distro, guest.Info.MajorVersion, guest.Info.PackageManager, guest.Info.RootDevice, guest.Info.Architecture));
            var version = Encoding.UTF8.GetString(await guest.ReadFileAsync("/etc/debian_version")).Trim();
            Assert.Equal(version, $"{guest.Info.MajorVersion}.{guest.Info.MinorVersion}");
        }
        Assert.Empty(events.OfType<Builder.Execution.Notice>());
    }
}
