using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Builder.Execution;
using Builder.Guestfs.Appliance;
using Builder.Guests;
using Builder.IntegrationTests.Templates;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Guestfs;

/// <summary>
/// Commands whose checks need a session of their own on a debian-12 overlay: closed (to read the disk
/// back), without network, or killed.
/// </summary>
[Collection(DebianTemplateCollection.Name)]
public sealed class OwnSessionCommandTests(DebianTemplate debian, ITestOutputHelper output) : IDisposable
{
    private readonly TestWorkspace _workspace = TestWorkspace.Create("debian-secret");

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task A_secret_reaches_the_script_and_leaves_no_trace_on_disk_or_in_the_events()
    {
        var secret = "tok-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var disk = DebianGuestSupport.Overlay(debian, _workspace);
        var events = new RecordingEvents();
        var (guest, opened) = await DebianGuestSupport.OpenAsync(disk, _workspace, events, network: false, trace: true);
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
        output.WriteLine($"opened in {opened.TotalSeconds:0.0} s; command returned in {run.Returned.TotalSeconds:0.00} s");

        Assert.Equal(0, run.Result.ExitCode);
        Assert.Equal(["stored"], run.Lines);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))) + "\n", Encoding.UTF8.GetString(digest));
        // Traced for real (the script and the wrapper were written and run), yet the secret is in no event.
        Assert.Contains(events.OfType<TraceLine>(), t => t.Source == "trace" && t.Text.Contains("sha256sum", StringComparison.Ordinal));
        Assert.Contains(events.OfType<TraceLine>(), t => t.Source == "appliance" && t.Text.Contains("/run/builder/", StringComparison.Ordinal));
        Assert.DoesNotContain(events.All, e => e.ToString().Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(events.All, e => e.ToString().Contains(secret[4..], StringComparison.Ordinal));
        // Nothing of it reached the disk: not in the overlay's bytes (the session is closed, so all is flushed).
        Assert.Equal(-1, File.ReadAllBytes(disk.Path).AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret[4..])));
        Assert.Equal(debian.Template.Digest, "sha256:" + Tools.Sha256(debian.Template.ImagePath));

        // And the staging tmpfs is gone: the mount point folder it made is removed.
        var (again, _) = await DebianGuestSupport.OpenAsync(disk, _workspace, new RecordingEvents(), network: false, trace: false);
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
        var disk = DebianGuestSupport.Overlay(debian, _workspace);
        var (guest, _) = await DebianGuestSupport.OpenAsync(disk, _workspace, new RecordingEvents(), network: false, trace: false);
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
    public async Task Cancelling_a_running_command_kills_the_appliance_and_the_call_returns()
    {
        var disk = DebianGuestSupport.Overlay(debian, _workspace);
        var (guest, _) = await DebianGuestSupport.OpenAsync(disk, _workspace, new RecordingEvents(), network: false, trace: false);
        using var cancellation = new CancellationTokenSource();
        var stopwatch = new Stopwatch();

        var run = guest.RunAsync(new GuestCommand("echo started\nsleep 600\n"), line =>
        {
            if (line != "started") return;
            stopwatch.Start();
            cancellation.Cancel();
        }, cancellation.Token).AsTask();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        output.WriteLine($"the command returned {stopwatch.Elapsed.TotalMilliseconds:0} ms after cancellation");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
        Assert.Empty(QemuProcesses.ChildrenUsingDisk(disk.Path));
        await guest.DisposeAsync();
        Assert.Equal(debian.Template.Digest, "sha256:" + Tools.Sha256(debian.Template.ImagePath));
    }
}
