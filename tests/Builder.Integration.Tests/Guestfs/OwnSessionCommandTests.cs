using System.Diagnostics;
using Builder.Execution;
using Builder.Guestfs.Appliance;
using Builder.Guests;
using Builder.IntegrationTests.Contracts;
using Builder.IntegrationTests.Templates;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Guestfs;

/// <summary>The own-session command contract on appliance sessions; and cancelling a command, which kills the appliance.</summary>
[Collection(DebianTemplateCollection.Name)]
public sealed class OwnSessionCommandTests(DebianTemplate debian, ITestOutputHelper output) : OwnSessionContract(debian, output, "debian-secret")
{
    protected override GuestDisk Overlay() => DebianGuestSupport.Overlay(Debian, Workspace);

    private protected override Task<(IGuest Guest, TimeSpan Elapsed)> OpenAsync(GuestDisk disk, RecordingEvents events, bool trace) =>
        DebianGuestSupport.OpenAsync(disk, Workspace, events, network: false, trace);

    /// <summary>The script and the wrapper were written (libguestfs's trace) and run (the appliance's verbose console).</summary>
    private protected override void AssertTheCommandWasTraced(RecordingEvents events)
    {
        Assert.Contains(events.OfType<TraceLine>(), t => t.Source == "trace" && t.Text.Contains("sha256sum", StringComparison.Ordinal));
        Assert.Contains(events.OfType<TraceLine>(), t => t.Source == "appliance" && t.Text.Contains("/run/builder/", StringComparison.Ordinal));
    }

    protected override void AssertNothingLeftOfTheSession(GuestDisk disk) => Assert.Empty(QemuProcesses.ChildrenUsingDisk(disk.Path));

    [Fact]
    public async Task Cancelling_a_running_command_kills_the_appliance_and_the_call_returns()
    {
        var disk = Overlay();
        var (guest, _) = await OpenAsync(disk, new RecordingEvents(), trace: false);
        using var cancellation = new CancellationTokenSource();
        var stopwatch = new Stopwatch();

        var run = guest.RunAsync(new GuestCommand("echo started\nsleep 600\n"), line =>
        {
            if (line != "started") return;
            stopwatch.Start();
            cancellation.Cancel();
        }, cancellation.Token).AsTask();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Output.WriteLine($"the command returned {stopwatch.Elapsed.TotalMilliseconds:0} ms after cancellation");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
        Assert.Empty(QemuProcesses.ChildrenUsingDisk(disk.Path));
        await guest.DisposeAsync();
        Assert.Equal(Debian.Template.Digest, "sha256:" + Tools.Sha256(Debian.Template.ImagePath));
    }
}
