using Builder.Steps.Options;

namespace Builder.Steps.Packages;

public sealed record UninstallOptions(
    [Doc("Packages to remove, with their configuration files"), Shorthand] IReadOnlyList<string> Packages);

public sealed class UninstallStep : StepKind<UninstallOptions>
{
    public override string Name => "uninstall";
    public override string Summary => "Remove packages, and what only they needed, with the guest's package manager";
    public override string Example => "- uninstall: [nano]";

    public override bool EndsLayer => true;

    protected override PackageCacheUse PackageCaches(UninstallOptions options) => PackageCacheUse.Clean;

    protected override void Validate(UninstallOptions options, StepValidation validation)
    {
        if (options.Packages.Count == 0) validation.Error("packages", "no packages to remove");
        foreach (var package in options.Packages.Where(p => !PackageSteps.IsValidName(p)))
            validation.Error("packages", $"'{package}' is not a package name", "letters, digits and + - . _ : ~ = < > @");
    }

    protected override string Describe(UninstallOptions options) => $"Removing packages: {string.Join(' ', options.Packages)}";

    protected override Task ExecuteAsync(UninstallOptions options, StepContext context, CancellationToken cancellationToken)
    {
        var manager = PackageSteps.ManagerOf(context);
        return PackageSteps.RunAsync(context, manager, manager.Uninstall(options.Packages), network: false,
            "removing " + string.Join(' ', options.Packages), cancellationToken);
    }
}
