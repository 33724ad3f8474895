using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Builder.Execution;
using Builder.Guests;
using Builder.Host;
using Builder.IntegrationTests.Contracts;
using Builder.IntegrationTests.Guestfs;
using Builder.IntegrationTests.Templates;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Host;

/// <summary>
/// The own-session command contract on host sessions; and what only the host backend does: cancelling
/// the session's token mid-command, and opening without the template's layout.
/// </summary>
[Collection(DebianTemplateCollection.Name)]
public sealed class HostOwnSessionTests(DebianTemplate debian, ITestOutputHelper output) : OwnSessionContract(debian, output, "host-own")
{
    private HostBackend Backend() => HostTools.Backend(Workspace.File("store"));

    protected override GuestDisk Overlay() => HostTools.DebianOverlay(Debian, Workspace);

    private protected override Task<(IGuest Guest, TimeSpan Elapsed)> OpenAsync(GuestDisk disk, RecordingEvents events, bool trace) =>
        HostTools.OpenAsync(Backend(), disk, events, trace: trace);

    /// <summary>The command line is traced with the names of its variables only.</summary>
    private protected override void AssertTheCommandWasTraced(RecordingEvents events) =>
        Assert.Contains(events.OfType<TraceLine>(), t => t.Text.Contains("environment: TOKEN", StringComparison.Ordinal));

    protected override void AssertNothingLeftOfTheSession(GuestDisk disk) => Assert.Empty(HostTools.LeftBehind(Workspace.Path));

    [Fact]
    public async Task Cancelling_a_running_command_kills_its_process_tree_at_once_and_disposing_leaves_nothing()
    {
        var disk = Overlay();
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
        Output.WriteLine($"the command returned {stopwatch.Elapsed.TotalMilliseconds:0} ms after cancellation");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"took {stopwatch.Elapsed}");
        Assert.Empty(HostTools.ProcessesWith(marker));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => guest.LstatAsync("/etc").AsTask());
        await guest.DisposeAsync();
        AssertNothingLeftOfTheSession(disk);
        Assert.Contains("No errors were found on the image.", HostTools.QemuImgCheck(disk.Path));
        Assert.Equal(Debian.Template.Digest, "sha256:" + Tools.Sha256(Debian.Template.ImagePath));
    }

    [Fact]
    public async Task Without_a_layout_the_debian_template_is_inspected_like_the_appliance_does()
    {
        var disk = Overlay() with { Layout = null };
        var events = new RecordingEvents();

        var (guest, opened) = await OpenAsync(disk, events, trace: false);
        await using (guest)
        {
            Output.WriteLine($"inspected and mounted in {opened.TotalMilliseconds:0} ms: {guest.Info}");
            Assert.Equal(("linux", "debian", 12, "apt", "/dev/sda1", "x86_64"),
                (guest.Info.OsType, guest.Info.Distro, guest.Info.MajorVersion, guest.Info.PackageManager, guest.Info.RootDevice, guest.Info.Architecture));
            var version = Encoding.UTF8.GetString(await guest.ReadFileAsync("/etc/debian_version")).Trim();
            Assert.Equal(version, $"{guest.Info.MajorVersion}.{guest.Info.MinorVersion}");
        }
        Assert.Empty(events.OfType<Notice>());
    }
}
