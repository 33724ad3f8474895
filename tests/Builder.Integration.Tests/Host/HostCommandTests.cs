using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Builder.Execution;
using Builder.Guests;
using Builder.IntegrationTests.Guestfs;
using Builder.IntegrationTests.Templates;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Host;

/// <summary>Commands chrooted in a real debian-12 guest on the host backend, in one session with network; effects read back.</summary>
[Collection(DebianTemplateCollection.Name)]
public sealed class HostCommandTests(DebianTemplate debian, DebianHostSessionFixture session, ITestOutputHelper output)
    : IClassFixture<DebianHostSessionFixture>
{
    /// <summary>The network interfaces of the script's own network namespace, then a name lookup of the Debian mirror.</summary>
    private const string InterfacesThenResolve = "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '\ngetent hosts deb.debian.org >/dev/null\necho resolved\n";

    private Task<IGuest> GuestAsync() => session.GuestAsync(debian);

    private async Task<CommandRun> RunAsync(GuestCommand command)
    {
        var run = await DebianGuestSupport.RunAsync(await GuestAsync(), command);
        output.WriteLine($"exit {run.Result.ExitCode} after {run.Returned.TotalMilliseconds:0} ms (session opened in {session.OpenElapsed.TotalMilliseconds:0} ms)");
        foreach (var (line, at) in run.Timed.Take(40)) output.WriteLine($"  {at.TotalSeconds,6:0.00} s  {line}");
        return run;
    }

    [Fact]
    public async Task The_session_mounts_from_the_template_layout()
    {
        var guest = await GuestAsync();

        Assert.Equal(new GuestInfo("linux", "debian", 12, 0, "apt", "/dev/sda1", "x86_64"), guest.Info);
        Assert.Contains(new PhaseStarted("mount", "Mounting guest filesystems"), session.Events.OfType<PhaseStarted>());
        Assert.Contains(session.Events.OfType<TraceLine>(), t => t.Source == "host" && t.Text.StartsWith("losetup", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Output_lines_arrive_in_order_while_the_script_runs()
    {
        var run = await RunAsync(new GuestCommand("echo first line\nsleep 2\necho 'second line' >&2\nprintf 'last, no newline'\n"));

        Assert.Equal(0, run.Result.ExitCode);
        Assert.Equal(["first line", "second line", "last, no newline"], run.Lines);
        Assert.True(run.Timed[0].At <= run.Returned - TimeSpan.FromSeconds(1.5),
            $"the first line came at {run.Timed[0].At.TotalSeconds:0.00} s, the command returned at {run.Returned.TotalSeconds:0.00} s");
        Assert.Equal(["first line", "second line", "last, no newline"], run.Result.Tail);
        Assert.DoesNotContain(session.Events.OfType<TraceLine>(), t => t.Text.Contains("first line", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Long_output_arrives_complete_and_in_order()
    {
        var run = await DebianGuestSupport.RunAsync(await GuestAsync(), new GuestCommand("seq 1 20000\n"));

        output.WriteLine($"20000 lines (109 kB) in {run.Returned.TotalMilliseconds:0} ms");
        Assert.Equal(Enumerable.Range(1, 20000).Select(i => $"{i}"), run.Lines);
        Assert.Equal(Enumerable.Range(19981, 20).Select(i => $"{i}"), run.Result.Tail);
    }

    [Fact]
    public async Task A_non_zero_exit_code_is_returned_with_the_last_twenty_lines()
    {
        var run = await RunAsync(new GuestCommand("for i in $(seq 1 25); do echo \"line $i\"; done\nexit 3\n"));

        Assert.Equal(3, run.Result.ExitCode);
        Assert.False(run.Result.Succeeded);
        Assert.Equal(Enumerable.Range(6, 20).Select(i => $"line {i}"), run.Result.Tail);
        Assert.Equal(25, run.Lines.Count);
    }

    [Fact]
    public async Task A_shebang_line_chooses_the_interpreter()
    {
        var run = await RunAsync(new GuestCommand("#!/bin/bash\nif [[ -n \"$BASH_VERSION\" ]]; then echo \"bash $BASH_VERSION\"; fi\n"));

        Assert.Equal(0, run.Result.ExitCode);
        Assert.StartsWith("bash 5.", Assert.Single(run.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_shebang_a_failing_command_stops_the_script()
    {
        var run = await RunAsync(new GuestCommand("echo before\nfalse\necho after\n"));

        Assert.Equal(1, run.Result.ExitCode);
        Assert.Equal(["before"], run.Lines);
    }

    [Fact]
    public async Task The_script_starts_in_the_working_directory_and_a_missing_one_is_an_error()
    {
        var run = await RunAsync(new GuestCommand("pwd\n", WorkingDirectory: "/usr/share/doc"));
        var error = await Assert.ThrowsAsync<GuestOperationException>(() => RunAsync(new GuestCommand("echo never\n", WorkingDirectory: "/no/such/folder")));

        Assert.Equal(["/usr/share/doc"], run.Lines);
        Assert.Equal("/no/such/folder", error.GuestPath);
    }

    [Fact]
    public async Task Environment_values_reach_the_script_exactly_and_nothing_stays_in_the_staging_folder()
    {
        const string value = "it's \"quoted\" $HOME `id` \\ back\nsecond line ü";
        var environment = new Dictionary<string, string> { ["ODD_VALUE"] = value, ["SECOND"] = "2", ["PATH"] = "/usr/bin:/bin" };

        var run = await RunAsync(new GuestCommand(
            "printf '%s' \"$ODD_VALUE\" > /root/odd-value\necho \"$SECOND $PATH\"\nenv | grep -c '^BUILDER_ENV_' || true\n", environment));

        Assert.Equal(["2 /usr/bin:/bin", "0"], run.Lines);
        var guest = await GuestAsync();
        Assert.Equal(value, Encoding.UTF8.GetString(await guest.ReadFileAsync("/root/odd-value")));
        Assert.Empty(await guest.GlobAsync("/run/builder/*"));
        Assert.DoesNotContain(session.Events.All, e => e.ToString().Contains("second line", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_invalid_variable_name_is_refused_before_anything_runs()
    {
        var guest = await GuestAsync();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            guest.RunAsync(new GuestCommand("echo never\n", new Dictionary<string, string> { ["NOT-A-NAME"] = "x" }), _ => { }).AsTask());
    }

    [Fact]
    public async Task A_script_runs_as_root_with_proc_sys_dev_and_a_path_in_its_own_pid_namespace()
    {
        var run = await RunAsync(new GuestCommand(
            "id -u\ntest -r /proc/self/status && echo proc\ntest -c /dev/null && test -c /dev/urandom && echo dev\n" +
            "test -d /sys/class && echo sys\ncommand -v apt-get\necho \"pid $$\"\nls /proc | grep -c '^[0-9]'\n"));

        Assert.Equal(0, run.Result.ExitCode);
        Assert.Equal(["0", "proc", "dev", "sys", "/usr/bin/apt-get", "pid 1"], run.Lines.Take(6));
        Assert.True(int.Parse(run.Lines[6]) <= 3, $"the command sees {run.Lines[6]} processes: it should see only its own");
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
    public async Task Without_network_a_command_cannot_resolve_names_even_in_a_session_with_network()
    {
        var run = await RunAsync(new GuestCommand(InterfacesThenResolve, Network: false));

        Assert.NotEqual(0, run.Result.ExitCode);
        Assert.Equal(["lo"], run.Lines);
    }

    [Fact]
    public async Task With_network_a_command_resolves_and_reaches_the_debian_mirror_and_apt_get_update_works()
    {
        const string request = """
            exec 3<>/dev/tcp/deb.debian.org/80
            printf 'HEAD /debian/ HTTP/1.1\r\nHost: deb.debian.org\r\nConnection: close\r\n\r\n' >&3
            head -n 1 <&3 | tr -d '\r'
            apt-get update -q >/dev/null
            echo updated

            """;

        var run = await RunAsync(new GuestCommand("#!/bin/bash\nset -e\n" + InterfacesThenResolve + request, Network: true));

        Assert.Equal(0, run.Result.ExitCode);
        Assert.Contains("resolved", run.Lines);
        Assert.True(run.Lines.TakeWhile(l => l != "resolved").Count() > 1, "the host's interfaces, not just lo");
        Assert.Matches(@"^HTTP/1\.1 (200|30[1278]) ", run.Lines[^2]);
        Assert.Equal("updated", run.Lines[^1]);
    }

    [Fact]
    public async Task A_command_with_network_gets_the_host_resolver_and_the_guest_keeps_its_own_file_or_link()
    {
        var guest = await GuestAsync();
        var original = await guest.LstatAsync("/etc/resolv.conf");
        const string own = "# the guest's own\nnameserver 192.0.2.53\n";
        await guest.WriteFileAsync("/etc/resolv.conf", Encoding.UTF8.GetBytes(own));
        try
        {
            var run = await RunAsync(new GuestCommand("grep '^nameserver' /etc/resolv.conf\necho replaced > /etc/resolv.conf\n", Network: true));
            Assert.Equal(0, run.Result.ExitCode);
            Assert.DoesNotContain("nameserver 192.0.2.53", run.Lines);
            Assert.Equal(File.ReadAllLines("/etc/resolv.conf").Where(l => l.StartsWith("nameserver", StringComparison.Ordinal)), run.Lines);
            Assert.Equal(own, Encoding.UTF8.GetString(await guest.ReadFileAsync("/etc/resolv.conf")));

            await guest.SymlinkAsync("../run/systemd/resolve/stub-resolv.conf", "/etc/resolv.conf");
            var linked = await RunAsync(new GuestCommand("getent hosts deb.debian.org >/dev/null && echo resolved\n", Network: true));
            Assert.Equal(["resolved"], linked.Lines);
            Assert.Equal("../run/systemd/resolve/stub-resolv.conf", await guest.ReadLinkAsync("/etc/resolv.conf"));
            Assert.Empty(await guest.GlobAsync("/etc/.resolv.conf*"));
        }
        finally
        {
            await guest.DeleteAsync("/etc/resolv.conf");
            if (original is not null) await guest.WriteFileAsync("/etc/resolv.conf", ReadOnlyMemory<byte>.Empty);
        }
    }

    [Fact]
    public async Task An_output_callback_that_throws_fails_the_call_after_the_command_ends()
    {
        var guest = await GuestAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => guest.RunAsync(
            new GuestCommand("echo one\necho two\n"), line => throw new InvalidOperationException($"callback refused {line}")).AsTask());

        Assert.Equal("callback refused one", error.Message);
        Assert.Equal(["ok"], (await RunAsync(new GuestCommand("echo ok\n"))).Lines);
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

        output.WriteLine($"session open: {session.OpenElapsed.TotalMilliseconds:0} ms; trivial command: {roundTrip.TotalMilliseconds:0} ms; " +
                         $"apt-get update + install curl: {installTime.TotalSeconds:0.0} s");
        Assert.Equal(0, install.Result.ExitCode);
        Assert.StartsWith("curl 7.", install.Lines[^1], StringComparison.Ordinal);
        Assert.Equal(GuestFileType.Regular, (await guest.LstatAsync("/usr/bin/curl"))!.Type);
    }
}
