using System.Diagnostics;
using Builder.Guests;

namespace Builder.IntegrationTests.Guestfs;

/// <summary>
/// One appliance session shared by a test class (a TCG launch costs about 20 s): a fresh overlay on the
/// tiny template, opened with Accelerator.Auto so the probe and the launch path run for real.
/// </summary>
public sealed class ApplianceSessionFixture : IAsyncLifetime
{
    private TestWorkspace? _workspace;
    private IGuest? _guest;

    internal TestWorkspace Workspace => _workspace!;
    internal RecordingEvents Events { get; } = new();
    public IGuest Guest => _guest!;
    public string Template { get; private set; } = "";
    public TimeSpan OpenElapsed { get; private set; }

    public async Task InitializeAsync()
    {
        _workspace = TestWorkspace.Create("session");
        Template = _workspace.BuildTinyTemplate();
        var overlay = _workspace.CreateOverlay(Template);
        var backend = Tools.Backend(_workspace.File("store"));
        var stopwatch = Stopwatch.StartNew();
        _guest = await backend.OpenAsync(
            new GuestDisk(overlay, "qcow2"),
            new GuestSessionOptions(Accelerator.Auto, TimeSpan.FromMinutes(5), Trace: false),
            Events,
            CancellationToken.None);
        OpenElapsed = stopwatch.Elapsed;
    }

    public async Task DisposeAsync()
    {
        if (_guest is not null) await _guest.DisposeAsync();
        _workspace?.Dispose();
    }
}
