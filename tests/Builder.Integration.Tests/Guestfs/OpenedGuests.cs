using Builder.Guests;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Guestfs;

/// <summary>
/// Sessions a test class opened, closed when the class is done, so that a failed test that did not
/// close its session does not leave it running or mounted (or its workspace undeletable).
/// </summary>
internal sealed class OpenedGuests(ITestOutputHelper output)
{
    private readonly List<IGuest> _opened = [];

    /// <summary>Closed with the test class if the test does not close it.</summary>
    public T Add<T>(T guest) where T : IGuest
    {
        _opened.Add(guest);
        return guest;
    }

    public async Task CloseAllAsync()
    {
        foreach (var guest in _opened)
        {
            try { await guest.DisposeAsync(); }
            catch (GuestOperationException e) { output.WriteLine(e.ToString()); }
        }
    }
}
