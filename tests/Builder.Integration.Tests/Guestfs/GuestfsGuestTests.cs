using Builder.Execution;
using Builder.Guests;
using Builder.IntegrationTests.Contracts;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Guestfs;

/// <summary>The IGuest contract against a real appliance, and how the appliance session opens.</summary>
[Collection(ApplianceCollection.Name)]
public sealed class GuestfsGuestTests(ApplianceSessionFixture session, ITestOutputHelper output)
    : GuestContract(output), IClassFixture<ApplianceSessionFixture>
{
    protected override IGuest Guest => session.Guest;

    protected override TimeSpan OpenElapsed => session.OpenElapsed;

    private protected override TestWorkspace Workspace => session.Workspace;

    /// <summary>libguestfs names its internal call and the daemon's open(2).</summary>
    protected override string WritingADirectoryFailsWith => "internal_write: open: /etc: Is a directory";

    [Fact]
    public void Opening_reports_launch_and_inspect_phases_with_the_accelerator()
    {
        var events = session.Events.All;

        var started = events.OfType<PhaseStarted>().ToList();
        Assert.Contains(new PhaseStarted("launch", "Launching appliance (tcg)"), started);
        Assert.Contains(started, e => e.Phase == "inspect");
        var completed = events.OfType<PhaseCompleted>().Select(e => e.Phase).ToList();
        Assert.Contains("launch", completed);
        Assert.Contains("inspect", completed);
        foreach (var phase in events.OfType<PhaseCompleted>()) Output.WriteLine($"{phase.Phase}: {phase.Elapsed.TotalSeconds:0.0} s");
        // These hosts have a /dev/kvm that cannot boot a kernel (DESIGN.md §5): the fallback is told once.
        Assert.Single(events.OfType<Notice>(), n => n.Message.Contains("using TCG", StringComparison.Ordinal));
    }
}
