using Builder.Execution;
using Builder.Guests;
using Builder.IntegrationTests.Contracts;
using Builder.IntegrationTests.Templates;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Guestfs;

/// <summary>
/// The command contract and copy-in against a real debian-12 guest, in one traced appliance session with
/// network (see <see cref="DebianNetworkSessionFixture"/>); effects are read back from the guest.
/// </summary>
[Collection(DebianTemplateCollection.Name)]
public sealed partial class DebianSessionTests(DebianTemplate debian, DebianNetworkSessionFixture session, ITestOutputHelper output)
    : CommandContract(output), IClassFixture<DebianNetworkSessionFixture>
{
    protected override Task<IGuest> GuestAsync() => session.GuestAsync(debian);

    protected override TimeSpan OpenElapsed => session.OpenElapsed;

    private protected override RecordingEvents Events => session.Events;

    /// <summary>The session is traced (the appliance is verbose): its chatter went to the trace, the output did not.</summary>
    protected override void AssertTheOutputStayedOutOfTheTrace(IReadOnlyList<TraceLine> traced)
    {
        Assert.Contains(traced, t => t.Source == "appliance");
        Assert.DoesNotContain(traced, t => t.Text.Contains("first line", StringComparison.Ordinal) && t.Source == "appliance");
        Assert.DoesNotContain(traced, t => t.Text.Contains("builder-output-", StringComparison.Ordinal));
    }

    /// <summary>The appliance's own network device.</summary>
    protected override void AssertTheNetworkInterfaces(IReadOnlyList<string> interfaces)
    {
        base.AssertTheNetworkInterfaces(interfaces);
        Assert.Contains("eth0", interfaces);
    }

    /// <summary>libguestfs copies the appliance's resolv.conf in; what it names depends on the appliance's network.</summary>
    protected override void AssertTheBackendsNameservers(IReadOnlyList<string> nameservers)
    {
        Assert.NotEmpty(nameservers);
        Assert.All(nameservers, n => Assert.StartsWith("nameserver ", n, StringComparison.Ordinal));
    }
}
