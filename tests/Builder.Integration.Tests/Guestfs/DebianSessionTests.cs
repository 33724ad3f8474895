using System.Text;
using Builder.Guests;
using Builder.IntegrationTests.Templates;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Guestfs;

/// <summary>
/// Commands and copy-in against a real debian-12 guest, in one traced appliance session with network
/// (see <see cref="DebianNetworkSessionFixture"/>); effects are read back from the guest.
/// </summary>
[Collection(DebianTemplateCollection.Name)]
public sealed partial class DebianSessionTests(DebianTemplate debian, DebianNetworkSessionFixture session, ITestOutputHelper output)
    : IClassFixture<DebianNetworkSessionFixture>
{
    private Task<IGuest> GuestAsync() => session.GuestAsync(debian);

    private async Task<CommandRun> RunAsync(GuestCommand command)
    {
        var run = await DebianGuestSupport.RunAsync(await GuestAsync(), command);
        output.WriteLine($"exit {run.Result.ExitCode} after {run.Returned.TotalSeconds:0.00} s (session opened in {session.OpenElapsed.TotalSeconds:0.0} s)");
        foreach (var (line, at) in run.Timed) output.WriteLine($"  {at.TotalSeconds,6:0.00} s  {line}");
        return run;
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
