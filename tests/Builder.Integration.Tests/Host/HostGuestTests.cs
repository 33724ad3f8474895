using Builder.Execution;
using Builder.Guests;
using Builder.Host;
using Builder.IntegrationTests.Contracts;
using Builder.IntegrationTests.Guestfs;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Host;

/// <summary>The IGuest contract on the host backend, on the tiny template; and what only the host backend does.</summary>
[Collection(HostBackendCollection.Name)]
public sealed class HostGuestTests(TinyHostSessionFixture session, ITestOutputHelper output)
    : GuestContract(output), IClassFixture<TinyHostSessionFixture>
{
    protected override IGuest Guest => session.Guest;

    protected override TimeSpan OpenElapsed => session.OpenElapsed;

    private protected override TestWorkspace Workspace => session.Workspace;

    [Fact]
    public void Opening_reports_export_and_mount_phases()
    {
        var events = session.Events.All;

        Assert.Contains(new PhaseStarted("export", "Exporting disk (qcow2) with qemu-storage-daemon"), events.OfType<PhaseStarted>());
        Assert.Contains(new PhaseStarted("mount", "Inspecting guest"), events.OfType<PhaseStarted>());
        Assert.Equal(["export", "mount"], events.OfType<PhaseCompleted>().Select(e => e.Phase));
        foreach (var phase in events.OfType<PhaseCompleted>()) Output.WriteLine($"{phase.Phase}: {phase.Elapsed.TotalMilliseconds:0} ms");
        Assert.Empty(events.OfType<Notice>());
    }

    [Fact]
    public async Task Device_nodes_and_fifos_in_the_guest_are_never_opened()
    {
        var root = Path.Combine(((HostGuest)Guest).WorkFolder, "root");
        Tools.Run("mkfifo", Path.Combine(root, "srv", "fifo"));
        Tools.Run("mknod", Path.Combine(root, "srv", "zero"), "c", "1", "5");

        var fifo = await Assert.ThrowsAsync<GuestOperationException>(() => Guest.ReadFileAsync("/srv/fifo").AsTask());
        var device = await Assert.ThrowsAsync<GuestOperationException>(() => Guest.WriteFileAsync("/srv/zero", Bytes("x")).AsTask());

        Assert.StartsWith("not a regular file", fifo.BackendMessage, StringComparison.Ordinal);
        Assert.StartsWith("not a regular file", device.BackendMessage, StringComparison.Ordinal);
        Assert.Equal(GuestFileType.Other, (await Guest.LstatAsync("/srv/fifo"))!.Type);
    }

    [Fact]
    public async Task A_guest_whose_shell_cannot_run_gives_a_clear_error()
    {
        // The tiny template's /usr/bin/sh is the host's dash without its libc: it cannot start.
        var error = await Assert.ThrowsAsync<GuestOperationException>(() => Guest.RunAsync(new GuestCommand("echo never\n"), _ => { }).AsTask());

        Assert.Equal("run", error.Operation);
        Assert.Contains("could not start in the guest", error.BackendMessage, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", error.BackendMessage, StringComparison.Ordinal);
        Assert.Empty(await Guest.GlobAsync("/run/builder/*"));
    }
}
