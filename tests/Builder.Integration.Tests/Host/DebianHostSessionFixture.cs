using Builder.Guests;
using Builder.IntegrationTests.Guestfs;
using Builder.IntegrationTests.Templates;

namespace Builder.IntegrationTests.Host;

/// <summary>
/// One host session with network on a fresh overlay of the shared debian-12 template, mounted from its
/// metadata, shared by a test class. Opened by the first test that asks, since the template comes from
/// the collection's fixture.
/// </summary>
public sealed class DebianHostSessionFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IGuest? _guest;

    internal TestWorkspace Workspace { get; } = TestWorkspace.Create("host-debian");
    internal RecordingEvents Events { get; } = new();
    public TimeSpan OpenElapsed { get; private set; }

    public async Task<IGuest> GuestAsync(DebianTemplate debian)
    {
        await _gate.WaitAsync();
        try
        {
            if (_guest is null)
                (_guest, OpenElapsed) = await HostTools.OpenAsync(
                    HostTools.Backend(Workspace.File("store")), HostTools.DebianOverlay(debian, Workspace), Events, network: true, trace: true);
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
