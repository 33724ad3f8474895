using Builder.Guests;
using Builder.Steps;
using Builder.Tests.Support;

namespace Builder.Tests.Steps.Packages;

/// <summary>The package steps' logic against a recording guest; the integration suite installs for real.</summary>
public sealed class PackageStepTests : IDisposable
{
    private readonly RecipeFolder folder = new();

    public void Dispose() => folder.Dispose();

    private async Task<StepRunner> Run(RecordingGuest guest, string steps)
    {
        var runner = new StepRunner(guest);
        await runner.RunAsync(folder.Load("template: base.qcow2\nsteps:\n" + steps));
        return runner;
    }

    [Fact]
    public async Task Installs_with_network_and_cleans_the_caches_once_at_the_end()
    {
        var guest = GuestTrees.Debian();

        await Run(guest, "  - install: [nginx]\n  - install: curl\n  - uninstall: [nano]\n");

        Assert.Equal([true, true, false], guest.Ran.Select(c => c.Network));
        Assert.Contains("apt_get install --no-install-recommends 'nginx'", guest.Ran[0].Script);
        Assert.Contains("apt_get install --no-install-recommends 'curl'", guest.Ran[1].Script);
        Assert.Contains("apt_get purge 'nano'", guest.Ran[2].Script);
        Assert.Null(guest.Stat("/var/cache/apt/archives/a.deb"));
        Assert.Null(guest.Stat("/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages"));
        Assert.NotNull(guest.Stat("/var/cache/apt/archives"));
    }

    [Fact]
    public async Task Keep_cache_on_any_step_keeps_the_caches()
    {
        var guest = GuestTrees.Debian();

        await Run(guest, "  - install: [nginx]\n  - install: { packages: [curl], keep-cache: true }\n");

        Assert.Equal(2, guest.Ran.Count);
        Assert.NotNull(guest.Stat("/var/cache/apt/archives/a.deb"));
    }

    [Fact]
    public async Task A_missing_package_fails_naming_the_package()
    {
        var guest = GuestTrees.Debian();
        guest.Commands = _ => new GuestCommandResult(100, ["Reading package lists...", "E: Unable to locate package nosuchpkg"]);

        var error = await Assert.ThrowsAsync<StepFailedException>(() => Run(guest, "  - install: [curl, nosuchpkg]\n"));

        Assert.Equal("the package 'nosuchpkg' does not exist in the guest's package sources (apt exited 100)", error.Message);
        Assert.Contains("E: Unable to locate package nosuchpkg", error.Hint);
    }

    [Fact]
    public async Task An_unreachable_mirror_fails_saying_so()
    {
        var guest = GuestTrees.Debian();
        guest.Commands = _ => new GuestCommandResult(100, ["W: Failed to fetch http://deb.debian.org/debian  Could not connect to deb.debian.org:80"]);

        var error = await Assert.ThrowsAsync<StepFailedException>(() => Run(guest, "  - update: {}\n"));

        Assert.StartsWith("the guest could not reach its package mirror while updating packages", error.Message);
    }

    [Fact]
    public async Task A_mirror_that_stops_answering_fails_naming_the_url_and_the_timeout()
    {
        var guest = GuestTrees.Debian();
        guest.Commands = _ => new GuestCommandResult(100, [
            "Err:1 http://mirror.example/debian bookworm/main amd64 curl amd64 7.88.1-10",
            "  Connection timed out [IP: 192.0.2.7 80]",
            "E: Failed to fetch http://mirror.example/debian/pool/main/c/curl/curl_7.88.1-10_amd64.deb  Connection timed out [IP: 192.0.2.7 80]",
            "E: Unable to fetch some archives, maybe run apt-get update or try with --fix-missing?"]);

        var error = await Assert.ThrowsAsync<StepFailedException>(() => Run(guest, "  - install: [curl]\n"));

        Assert.Equal("the guest could not reach its package mirror while installing curl (apt exited 100): Failed to fetch " +
            "http://mirror.example/debian/pool/main/c/curl/curl_7.88.1-10_amd64.deb Connection timed out [IP: 192.0.2.7 80]", error.Message);
    }

    [Fact]
    public async Task A_package_manager_builder_does_not_drive_is_refused()
    {
        var guest = new RecordingGuest(new GuestInfo("linux", "gentoo", 2, 0, "portage", "/dev/sda1", "x86_64"));

        var error = await Assert.ThrowsAsync<StepFailedException>(() => Run(guest, "  - install: [vim]\n"));

        Assert.Contains("'portage', which Builder does not drive", error.Message);
    }

    [Theory]
    [InlineData("[\"vim; rm -rf /\"]")]
    [InlineData("[\"--force-yes\"]")]
    [InlineData("[]")]
    public void Rejects_package_names_a_shell_or_apt_would_misread(string packages)
    {
        var result = folder.Parse($"template: base.qcow2\nsteps:\n  - install: {packages}\n");

        Assert.Equal(".steps[0].install", Assert.Single(result.Diagnostics).Path);
    }
}
