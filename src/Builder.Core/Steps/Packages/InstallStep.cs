using Builder.Steps.Options;

namespace Builder.Steps.Packages;

public sealed record InstallOptions(
    [Doc("Packages to install, optionally pinned (nginx=1.22.1-9 for apt)"), Shorthand] IReadOnlyList<string> Packages,
    [Doc("Also install recommended (weak) dependencies")] bool Recommends = false,
    [Doc("Keep downloaded packages and package lists in the image")] bool KeepCache = false);

public sealed class InstallStep : StepKind<InstallOptions>
{
    public override string Name => "install";
    public override string Summary => "Install packages with the guest's package manager (apt, dnf, yum, zypper, apk, pacman)";
    public override string Example => "- install: [nginx, curl]";

    public override bool EndsLayer => true;

    protected override PackageCacheUse PackageCaches(InstallOptions options) => options.KeepCache ? PackageCacheUse.Keep : PackageCacheUse.Clean;

    protected override bool UsesNetwork(InstallOptions options) => true;

    protected override void Validate(InstallOptions options, StepValidation validation)
    {
        if (options.Packages.Count == 0) validation.Error("packages", "no packages to install");
        foreach (var package in options.Packages.Where(p => !PackageSteps.IsValidName(p)))
            validation.Error("packages", $"'{package}' is not a package name", "letters, digits and + - . _ : ~ = < > @");
    }

    protected override string Describe(InstallOptions options) => $"Installing packages: {string.Join(' ', options.Packages)}";

    protected override Task ExecuteAsync(InstallOptions options, StepContext context, CancellationToken cancellationToken)
    {
        var manager = PackageSteps.ManagerOf(context);
        return PackageSteps.RunAsync(context, manager, manager.Install(options.Packages, options.Recommends), network: true,
            "installing " + string.Join(' ', options.Packages), cancellationToken);
    }
}
