using Builder.Steps.Options;

namespace Builder.Steps.Packages;

public sealed record UpdateOptions(
    [Doc("Keep downloaded packages and package lists in the image")] bool KeepCache = false);

public sealed class UpdateStep : StepKind<UpdateOptions>
{
    public override string Name => "update";
    public override string Summary => "Upgrade every installed package to the newest version in the guest's package sources";
    public override string Example => "- update: {}";

    public override bool EndsLayer => true;

    protected override PackageCacheUse PackageCaches(UpdateOptions options) => options.KeepCache ? PackageCacheUse.Keep : PackageCacheUse.Clean;

    protected override bool UsesNetwork(UpdateOptions options) => true;

    protected override string Describe(UpdateOptions options) => "Updating all packages";

    protected override Task ExecuteAsync(UpdateOptions options, StepContext context, CancellationToken cancellationToken)
    {
        var manager = PackageSteps.ManagerOf(context);
        return PackageSteps.RunAsync(context, manager, manager.Update(), network: true, "updating packages", cancellationToken);
    }
}
