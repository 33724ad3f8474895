using System.Text;
using Builder.Guests;

namespace Builder.IntegrationTests.Contracts;

/// <summary>A command's network: none unless it asks, and the backend's resolver while it has one.</summary>
public abstract partial class CommandContract
{
    /// <summary>The network interfaces of the script's own network namespace, then a name lookup of the Debian mirror.</summary>
    private const string InterfacesThenResolve = "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '\ngetent hosts deb.debian.org >/dev/null\necho resolved\n";

    /// <summary>The interfaces a command with network sees: more than lo.</summary>
    protected virtual void AssertTheNetworkInterfaces(IReadOnlyList<string> interfaces) =>
        Assert.True(interfaces.Count > 1, $"interfaces {string.Join(", ", interfaces)}: the backend's, not just lo");

    /// <summary>The nameserver lines of the resolv.conf a command with network sees in place of the guest's.</summary>
    protected abstract void AssertTheBackendsNameservers(IReadOnlyList<string> nameservers);

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
        AssertTheNetworkInterfaces([.. run.Lines.TakeWhile(l => l != "resolved")]);
        Assert.Matches(@"^HTTP/1\.1 (200|30[1278]) ", run.Lines[^2]);
        Assert.Equal("updated", run.Lines[^1]);
    }

    [Fact]
    public async Task A_command_with_network_gets_the_backends_resolver_and_the_guest_keeps_its_own_file_or_link()
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
            AssertTheBackendsNameservers(run.Lines);
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
}
