using System.Text;
using Builder.Guests;

namespace Builder.IntegrationTests.Guestfs;

public sealed partial class DebianSessionTests
{
    /// <summary>The network interfaces of the script's own network namespace, then a name lookup of the Debian mirror.</summary>
    private const string InterfacesThenResolve = "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '\ngetent hosts deb.debian.org >/dev/null\necho resolved\n";

    [Fact]
    public async Task Without_network_a_command_cannot_resolve_names_even_in_a_session_with_network()
    {
        var run = await RunAsync(new GuestCommand(InterfacesThenResolve, Network: false));

        Assert.NotEqual(0, run.Result.ExitCode);
        Assert.Equal(["lo"], run.Lines);
    }

    [Fact]
    public async Task With_network_a_command_resolves_and_reaches_the_debian_mirror()
    {
        const string request = """
            exec 3<>/dev/tcp/deb.debian.org/80
            printf 'HEAD /debian/ HTTP/1.1\r\nHost: deb.debian.org\r\nConnection: close\r\n\r\n' >&3
            head -n 1 <&3 | tr -d '\r'

            """;

        var run = await RunAsync(new GuestCommand("#!/bin/bash\nset -e\n" + InterfacesThenResolve + request, Network: true));

        Assert.Equal(0, run.Result.ExitCode);
        Assert.Contains("eth0", run.Lines);
        Assert.Contains("resolved", run.Lines);
        Assert.Matches(@"^HTTP/1\.1 (200|30[1278]) ", run.Lines[^1]);
    }

    [Fact]
    public async Task A_command_with_network_gets_the_appliance_resolver_and_the_guest_keeps_its_own()
    {
        var guest = await GuestAsync();
        const string own = "# the guest's own\nnameserver 192.0.2.53\n";
        await guest.WriteFileAsync("/etc/resolv.conf", Encoding.UTF8.GetBytes(own));
        try
        {
            var run = await RunAsync(new GuestCommand("grep '^nameserver' /etc/resolv.conf\n", Network: true));

            Assert.Equal(0, run.Result.ExitCode);
            Assert.DoesNotContain("nameserver 192.0.2.53", run.Lines);
            Assert.Equal(own, Encoding.UTF8.GetString(await guest.ReadFileAsync("/etc/resolv.conf")));
        }
        finally
        {
            await guest.DeleteAsync("/etc/resolv.conf");
        }
    }
}
