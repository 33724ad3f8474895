using Builder.Tests.Support;
using Builder.Steps;

namespace Builder.Tests.Steps;

public sealed class SystemStepTests : IDisposable
{
    private readonly RecipeFolder folder = new();

    public void Dispose() => folder.Dispose();

    private Task Run(RecordingGuest guest, string steps) =>
        new StepRunner(guest).RunAsync(folder.Load("template: base.qcow2\nsteps:\n" + steps));

    [Fact]
    public async Task Hostname_replaces_the_127_0_1_1_line()
    {
        var guest = GuestTrees.Debian();

        await Run(guest, "  - hostname: web1.example.com\n");

        Assert.Equal("web1.example.com\n", guest.Text("/etc/hostname"));
        Assert.Equal("127.0.0.1\tlocalhost\n127.0.1.1\tweb1.example.com web1\n", guest.Text("/etc/hosts"));
    }

    [Fact]
    public async Task Hostname_adds_an_entry_after_localhost_when_there_is_none()
    {
        var guest = new RecordingGuest().WithFile("/etc/hosts", "127.0.0.1 localhost\n::1 localhost\n");

        await Run(guest, "  - hostname: db\n");

        Assert.Equal("127.0.0.1 localhost\n127.0.1.1\tdb\n::1 localhost\n", guest.Text("/etc/hosts"));
    }

    [Fact]
    public async Task Timezone_links_localtime_and_writes_etc_timezone()
    {
        var guest = GuestTrees.Debian();

        await Run(guest, "  - timezone: Europe/London\n");

        Assert.Equal("/usr/share/zoneinfo/Europe/London", guest.LinkTarget("/etc/localtime"));
        Assert.Equal("Europe/London\n", guest.Text("/etc/timezone"));
    }

    [Fact]
    public async Task Timezone_unknown_to_the_guest_fails_with_the_path_it_looked_for()
    {
        var error = await Assert.ThrowsAsync<StepFailedException>(() => Run(GuestTrees.Debian(), "  - timezone: Mars/Olympus\n"));

        Assert.Contains("/usr/share/zoneinfo/Mars/Olympus does not exist", error.Message);
    }
}
