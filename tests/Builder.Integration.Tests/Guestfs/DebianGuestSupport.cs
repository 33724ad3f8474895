using System.Diagnostics;
using Builder.Guests;
using Builder.IntegrationTests.Templates;
using Builder.Templates;

namespace Builder.IntegrationTests.Guestfs;

/// <summary>Opens appliance sessions on fresh qcow2 overlays of the shared debian-12 template, mounted from its metadata.</summary>
internal static class DebianGuestSupport
{
    public static GuestDisk Overlay(DebianTemplate debian, TestWorkspace workspace, string name = "overlay.qcow2")
    {
        var layout = ResolvedTemplate.From("debian-12", debian.Template).Layout();
        Assert.NotNull(layout);
        return new GuestDisk(workspace.CreateOverlay(debian.Template.ImagePath, name), "qcow2", layout);
    }

    public static async Task<(IGuest Guest, TimeSpan Elapsed)> OpenAsync(
        GuestDisk disk, TestWorkspace workspace, RecordingEvents events, bool network, bool trace)
    {
        var stopwatch = Stopwatch.StartNew();
        var guest = await Tools.Backend(workspace.File("store")).OpenAsync(
            disk, new GuestSessionOptions(Accelerator.Auto, TimeSpan.FromMinutes(5), trace, network), events, CancellationToken.None);
        return (guest, stopwatch.Elapsed);
    }

    /// <summary>Runs a command and collects its output lines, each with the time it arrived.</summary>
    public static async Task<CommandRun> RunAsync(IGuest guest, GuestCommand command)
    {
        var lines = new List<(string Line, TimeSpan At)>();
        var stopwatch = Stopwatch.StartNew();
        var result = await guest.RunAsync(command, line =>
        {
            lock (lines) lines.Add((line, stopwatch.Elapsed));
        });
        return new CommandRun(result, lines, stopwatch.Elapsed);
    }
}

internal sealed record CommandRun(GuestCommandResult Result, IReadOnlyList<(string Line, TimeSpan At)> Timed, TimeSpan Returned)
{
    public IReadOnlyList<string> Lines => [.. Timed.Select(t => t.Line)];
}

/// <summary>
/// One appliance session with network on a debian-12 overlay, shared by a test class (a TCG launch
/// costs 10–20 s). Traced, so the appliance is verbose and its chatter is there to be kept out of output.
/// Opened by the first test that asks, since the template comes from the collection's fixture.
/// </summary>
public sealed class DebianNetworkSessionFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IGuest? _guest;

    internal TestWorkspace Workspace { get; } = TestWorkspace.Create("debian-session");
    internal RecordingEvents Events { get; } = new();
    public TimeSpan OpenElapsed { get; private set; }

    public async Task<IGuest> GuestAsync(DebianTemplate debian)
    {
        await _gate.WaitAsync();
        try
        {
            if (_guest is null)
                (_guest, OpenElapsed) = await DebianGuestSupport.OpenAsync(
                    DebianGuestSupport.Overlay(debian, Workspace), Workspace, Events, network: true, trace: true);
            return _guest;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_guest is not null) await _guest.DisposeAsync();
        Workspace.Dispose();
    }
}
