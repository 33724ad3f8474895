using Builder.Steps.Packages;
using Snapshooter;
using Snapshooter.Xunit;

namespace Builder.Tests.Steps.Packages;

public sealed class PackageManagerTests
{
    public static TheoryData<string> Managers() => new(PackageManager.Supported);

    [Theory]
    [MemberData(nameof(Managers))]
    public void Generates_the_exact_commands_for_each_package_manager(string name)
    {
        var manager = PackageManager.For(name)!;
        string[] packages = ["nginx", "curl=7.88.1-10", "it's"];

        var commands = $"""
            ## install
            {manager.Install(packages, recommends: false)}
            ## install with recommends
            {manager.Install(packages, recommends: true)}
            ## update
            {manager.Update()}
            ## uninstall
            {manager.Uninstall(packages)}
            ## clean
            {string.Join("\n", manager.CacheFiles)}
            """;

        commands.MatchSnapshot(SnapshotNameExtension.Create(name));
    }

    [Theory]
    [InlineData("apt", "E: Unable to locate package nosuchpackage", "nosuchpackage")]
    [InlineData("apt", "E: Package 'vim' has no installation candidate", "vim")]
    [InlineData("dnf", "No match for argument: nosuchpackage", "nosuchpackage")]
    [InlineData("yum", "No package nosuchpackage available.", "nosuchpackage")]
    [InlineData("zypper", "'nosuchpackage' not found in package names. Trying capabilities.", "nosuchpackage")]
    [InlineData("apk", "  nosuchpackage (no such package):", "nosuchpackage")]
    [InlineData("pacman", "error: target not found: nosuchpackage", "nosuchpackage")]
    public void Finds_the_missing_package_in_the_managers_own_words(string name, string line, string package)
    {
        Assert.Equal(package, PackageManager.For(name)!.MissingPackageIn(["Reading package lists...", line]));
    }

    [Fact]
    public void Ordinary_output_names_no_missing_package()
    {
        Assert.Null(PackageManager.For("apt")!.MissingPackageIn(["Reading package lists...", "Setting up curl (7.88.1-10) ..."]));
    }

    [Theory]
    [InlineData("Err:1 http://deb.debian.org/debian bookworm InRelease\n  Temporary failure resolving 'deb.debian.org'", true)]
    [InlineData("W: Failed to fetch http://127.0.0.1:9/debian/dists/bookworm/InRelease  Could not connect to 127.0.0.1:9", true)]
    [InlineData("Setting up curl (7.88.1-10) ...", false)]
    public void Recognises_an_unreachable_mirror(string output, bool unreachable)
    {
        Assert.Equal(unreachable, PackageManager.MirrorUnreachable(output.Split('\n')));
    }
}
