using System.Diagnostics;
using Builder.Execution;
using Builder.Guests;
using Builder.IntegrationTests.Guestfs;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Reliability;

/// <summary>
/// The appliance failing under a session, on the tiny template: a launch whose VM never runs, and a
/// qemu that dies in the middle of a guest operation. Each fault is real (a frozen or killed qemu), is
/// reported, and leaves no process of its launch behind: any process whose command line names the
/// test's folder (where its disk is) would be an orphan.
/// </summary>
[Collection(ApplianceCollection.Name)]
public sealed class ApplianceFaultTests(ITestOutputHelper output) : IDisposable
{
    private readonly TestWorkspace _workspace = TestWorkspace.Create("faults");

    public void Dispose() => _workspace.Dispose();

    private static GuestSessionOptions Tcg(TimeSpan launchTimeout) => new(Accelerator.Tcg, launchTimeout, Trace: false);

    [Fact]
    public async Task A_launch_that_hangs_is_killed_after_its_bound_and_leaves_no_qemu()
    {
        // Given qemu started with -S (the CPUs never start, so the appliance never answers) for this test's disk only.
        var overlay = _workspace.CreateOverlay(_workspace.BuildTinyTemplate());
        using var frozen = FrozenHypervisor.Install(_workspace.Path, _workspace.File("qemu-frozen"));
        var sawFrozenQemu = WatchForAsync(_workspace.Path, commandLine => commandLine.Contains(" -S ", StringComparison.Ordinal));
        var stopwatch = Stopwatch.StartNew();

        // When the session opens with a 10 s bound
        var error = await Assert.ThrowsAsync<TimeoutException>(() => Tools.Backend(_workspace.File("store"))
            .OpenAsync(new GuestDisk(overlay, "qcow2"), Tcg(TimeSpan.FromSeconds(10)), IBuildEvents.None, CancellationToken.None));

        // Then it fails at the bound, saying so, and no process of that launch is left
        output.WriteLine($"the hung launch returned after {stopwatch.Elapsed.TotalSeconds:0.0} s: {error.Message}");
        Assert.True(await sawFrozenQemu, "no qemu with -S ran for the test's disk: the launch did not hang for real");
        Assert.Equal("appliance launch exceeded 10 s and was killed (accelerator: tcg)", error.Message);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(40));
        Assert.Empty(await ProcessTable.GoneAsync(_workspace.Path, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task An_appliance_that_dies_during_an_operation_fails_it_with_the_libguestfs_error_and_leaves_no_qemu()
    {
        // Given an open session, uploading a file big enough to take seconds under TCG
        var overlay = _workspace.CreateOverlay(_workspace.BuildTinyTemplate());
        var big = _workspace.File("big.bin");
        await using (var stream = File.Create(big)) stream.SetLength(180L * 1024 * 1024);
        var guest = await Tools.Backend(_workspace.File("store"))
            .OpenAsync(new GuestDisk(overlay, "qcow2"), Tcg(TimeSpan.FromMinutes(5)), IBuildEvents.None, CancellationToken.None);
        var qemu = Assert.Single(ProcessTable.QemuMentioning(_workspace.Path));
        var upload = guest.UploadAsync(big, "/srv/big.bin").AsTask();
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.False(upload.IsCompleted, "the upload should still be running when qemu dies");

        // When its qemu is killed from outside, as a crash or the OOM killer would end it
        var stopwatch = Stopwatch.StartNew();
        ProcessTable.Kill(qemu);

        // Then the operation fails with what libguestfs said, the session closes, and nothing is left
        var error = await Assert.ThrowsAsync<GuestOperationException>(() => upload);
        output.WriteLine($"the upload failed {stopwatch.Elapsed.TotalMilliseconds:0} ms after the kill: {error.Message}");
        Assert.Equal(("upload", "/srv/big.bin"), (error.Operation, error.GuestPath));
        var library = Assert.IsType<Builder.Guestfs.GuestfsException>(error.InnerException);
        Assert.Contains(library.Summary, error.Message, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
        await guest.DisposeAsync();
        Assert.Empty(await ProcessTable.GoneAsync(_workspace.Path, TimeSpan.FromSeconds(5)));
    }

    /// <summary>Polls the process table until a process mentioning the marker matches, or 60 s pass.</summary>
    private static async Task<bool> WatchForAsync(string marker, Func<string, bool> match)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (ProcessTable.Mentioning(marker).Any(p => match(p.CommandLine))) return true;
            await Task.Delay(100);
        }
        return false;
    }
}
