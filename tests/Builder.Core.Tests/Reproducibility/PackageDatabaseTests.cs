using Builder.Guests;
using Builder.Reproducibility;
using Builder.Tests.Support;

namespace Builder.Tests.Reproducibility;

/// <summary>The installed packages of an image, from dpkg's status file, apk's installed file, or rpm run in the guest.</summary>
public sealed class PackageDatabaseTests
{
    private const string DpkgStatus = """
        Package: zlib1g
        Status: install ok installed
        Priority: optional
        Architecture: amd64
        Multi-Arch: same
        Version: 1:1.2.13.dfsg-1
        Description: compression library - runtime
         zlib is a library implementing the deflate compression method found
         in gzip and PKZIP.

        Package: base-files
        Essential: yes
        Status: install ok installed
        Architecture: amd64
        Version: 12.4+deb12u5

        Package: old-config
        Status: deinstall ok config-files
        Architecture: all
        Version: 1.0

        Package: zlib1g
        Status: hold ok installed
        Architecture: i386
        Version: 1:1.2.13.dfsg-1

        """;

    [Fact]
    public void Dpkg_status_lists_installed_packages_sorted_by_name_then_architecture_and_skips_removed_ones()
    {
        var packages = PackageList.Of("dpkg", PackageDatabases.ParseDpkgStatus(DpkgStatus)).Packages;

        Assert.Equal(
            [
                new InstalledPackage("base-files", "12.4+deb12u5", "amd64"),
                new InstalledPackage("zlib1g", "1:1.2.13.dfsg-1", "amd64"),
                new InstalledPackage("zlib1g", "1:1.2.13.dfsg-1", "i386"),
            ],
            packages);
    }

    [Fact]
    public void Apk_installed_lists_name_version_and_architecture()
    {
        const string installed = "C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\nS:383152\n\nC:Q1def=\nP:busybox\nV:1.36.1-r5\nA:x86_64\n";

        var packages = PackageList.Of("apk", PackageDatabases.ParseApkInstalled(installed)).Packages;

        Assert.Equal([new InstalledPackage("busybox", "1.36.1-r5", "x86_64"), new InstalledPackage("musl", "1.2.4-r2", "x86_64")], packages);
    }

    [Fact]
    public void Rpm_query_lines_give_epoch_version_release_and_architecture()
    {
        var packages = PackageDatabases.ParseRpmQuery(["bash\t5.2.15-3.fc38\tx86_64", "openssl-libs\t1:3.0.9-2.fc38\tx86_64", "garbage"]);

        Assert.Equal([new InstalledPackage("bash", "5.2.15-3.fc38", "x86_64"), new InstalledPackage("openssl-libs", "1:3.0.9-2.fc38", "x86_64")], packages);
    }

    [Fact]
    public async Task A_debian_guest_is_read_from_its_status_file_without_running_anything()
    {
        var guest = new RecordingGuest().WithFile(PackageDatabases.DpkgStatus, DpkgStatus);

        var list = await InstalledPackages.ReadAsync(guest, CancellationToken.None);

        Assert.Equal("dpkg", list.From);
        Assert.Equal(3, list.Packages!.Count);
        Assert.Empty(guest.Ran);
    }

    [Fact]
    public async Task An_rpm_guest_runs_rpm_when_it_has_a_shell()
    {
        var guest = new RecordingGuest().WithDirectory("/var/lib/rpm").WithFile("/bin/sh", "");
        guest.Commands = _ => new GuestCommandResult(0, ["kernel\t6.5.6-300.fc39\tx86_64", "bash\t5.2.21-1.fc39\tx86_64"]);

        var list = await InstalledPackages.ReadAsync(guest, CancellationToken.None);

        Assert.Equal("rpm", list.From);
        Assert.Equal(["bash", "kernel"], list.Packages!.Select(p => p.Name));
        Assert.Contains("rpm -qa --qf", Assert.Single(guest.Ran).Script);
    }

    [Fact]
    public async Task An_rpm_guest_without_a_shell_has_no_list_and_says_why()
    {
        var guest = new RecordingGuest().WithDirectory("/usr/lib/sysimage/rpm");

        var list = await InstalledPackages.ReadAsync(guest, CancellationToken.None);

        Assert.Null(list.Packages);
        Assert.Contains("no /bin/sh", list.Omitted);
        Assert.Empty(guest.Ran);
    }

    [Fact]
    public async Task A_failing_rpm_leaves_the_list_out_with_its_exit_code()
    {
        var guest = new RecordingGuest().WithDirectory("/var/lib/rpm").WithFile("/bin/sh", "");
        guest.Commands = _ => new GuestCommandResult(127, ["sh: rpm: not found"]);

        var list = await InstalledPackages.ReadAsync(guest, CancellationToken.None);

        Assert.Null(list.Packages);
        Assert.Equal("rpm -qa failed in the guest (exit 127): sh: rpm: not found", list.Omitted);
    }

    [Fact]
    public async Task A_guest_without_a_package_database_has_no_list()
    {
        var list = await InstalledPackages.ReadAsync(new RecordingGuest().WithFile("/etc/hostname", "x\n"), CancellationToken.None);

        Assert.Null(list.Packages);
        Assert.Contains("no package database", list.Omitted);
    }
}
