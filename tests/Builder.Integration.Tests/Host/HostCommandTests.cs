using System.Diagnostics;
using System.Security.Cryptography;
using Builder.Execution;
using Builder.Guests;
using Builder.IntegrationTests.Contracts;
using Builder.IntegrationTests.Guestfs;
using Builder.IntegrationTests.Templates;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Host;

/// <summary>The command contract chrooted in a real debian-12 guest on the host backend, in one session with network; and what only the host backend does.</summary>
[Collection(DebianTemplateCollection.Name)]
public sealed class HostCommandTests(DebianTemplate debian, DebianHostSessionFixture session, ITestOutputHelper output)
    : CommandContract(output), IClassFixture<DebianHostSessionFixture>
{
    protected override Task<IGuest> GuestAsync() => session.GuestAsync(debian);

    protected override TimeSpan OpenElapsed => session.OpenElapsed;

    private protected override RecordingEvents Events => session.Events;

    protected override void AssertTheOutputStayedOutOfTheTrace(IReadOnlyList<TraceLine> traced) =>
        Assert.DoesNotContain(session.Events.OfType<TraceLine>(), t => t.Text.Contains("first line", StringComparison.Ordinal));

    /// <summary>The command sees the host's own resolver.</summary>
    protected override void AssertTheBackendsNameservers(IReadOnlyList<string> nameservers) =>
        Assert.Equal(File.ReadAllLines("/etc/resolv.conf").Where(l => l.StartsWith("nameserver", StringComparison.Ordinal)), nameservers);

    [Fact]
    public async Task The_session_mounts_from_the_template_layout()
    {
        var guest = await GuestAsync();

        Assert.Equal(new GuestInfo("linux", "debian", 12, 0, "apt", "/dev/sda1", "x86_64"), guest.Info);
        Assert.Contains(new PhaseStarted("mount", "Mounting guest filesystems"), session.Events.OfType<PhaseStarted>());
        Assert.Contains(session.Events.OfType<TraceLine>(), t => t.Source == "host" && t.Text.StartsWith("losetup", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_script_runs_in_its_own_pid_namespace()
    {
        var run = await RunAsync(new GuestCommand("echo \"pid $$\"\nls /proc | grep -c '^[0-9]'\n"));

        Assert.Equal(0, run.Result.ExitCode);
        Assert.Equal("pid 1", run.Lines[0]);
        Assert.True(int.Parse(run.Lines[1]) <= 3, $"the command sees {run.Lines[1]} processes: it should see only its own");
    }

    [Fact]
    public async Task Nothing_the_command_starts_outlives_it_and_the_host_keeps_its_name()
    {
        var marker = "sleeper-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var hostname = Environment.MachineName;

        var run = await RunAsync(new GuestCommand(
            $"cp /bin/sleep /tmp/{marker}\n/tmp/{marker} 600 &\nsetsid sh -c '/tmp/{marker} 601 &' &\nsleep 0.2\nhostname {marker}\nhostname\n"));

        Assert.Equal(0, run.Result.ExitCode);
        Assert.Equal([marker], run.Lines);
        Assert.Empty(HostTools.ProcessesWith(marker));
        Assert.Equal(hostname, File.ReadAllText("/proc/sys/kernel/hostname").Trim());
        await (await GuestAsync()).DeleteAsync($"/tmp/{marker}");
    }

    [Fact]
    public async Task Measures_a_trivial_round_trip_and_an_apt_install()
    {
        var guest = await GuestAsync();
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++) Assert.Equal(0, (await guest.RunAsync(new GuestCommand("true\n"), _ => { })).ExitCode);
        var roundTrip = stopwatch.Elapsed / 10;

        stopwatch.Restart();
        var install = await RunAsync(new GuestCommand(
            "export DEBIAN_FRONTEND=noninteractive\napt-get update -q\napt-get install -y -q --no-install-recommends curl\ncurl --version | head -n 1\n", Network: true));
        var installTime = stopwatch.Elapsed;

        Output.WriteLine($"session open: {session.OpenElapsed.TotalMilliseconds:0} ms; trivial command: {roundTrip.TotalMilliseconds:0} ms; " +
                         $"apt-get update + install curl: {installTime.TotalSeconds:0.0} s");
        Assert.Equal(0, install.Result.ExitCode);
        Assert.StartsWith("curl 7.", install.Lines[^1], StringComparison.Ordinal);
        Assert.Equal(GuestFileType.Regular, (await guest.LstatAsync("/usr/bin/curl"))!.Type);
    }
}
