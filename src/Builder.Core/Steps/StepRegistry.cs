using Builder.Steps.Accounts;
using Builder.Steps.Files;
using Builder.Steps.Firstboot;
using Builder.Steps.Packages;
using Builder.Steps.Scripts;
using Builder.Steps.Machine;

namespace Builder.Steps;

/// <summary>Every step kind, by name. The only place a new kind is added.</summary>
public sealed class StepRegistry
{
    private readonly Dictionary<string, IStepKind> byName;

    public StepRegistry(IEnumerable<IStepKind> kinds)
    {
        Kinds = kinds.ToList();
        byName = Kinds.ToDictionary(k => k.Name, StringComparer.Ordinal);
    }

    public static StepRegistry BuiltIn { get; } = new(
    [
        new WriteStep(),
        new AppendLineStep(),
        new EditStep(),
        new UploadStep(),
        new MkdirStep(),
        new DeleteStep(),
        new ChmodStep(),
        new ChownStep(),
        new LinkStep(),
        new HostnameStep(),
        new TimezoneStep(),
        new PasswordStep(),
        new SshInjectStep(),
        new InstallStep(),
        new UpdateStep(),
        new UninstallStep(),
        new ScriptStep(),
        new RunStep(),
        new FirstbootStep(),
        new CopyInStep(),
    ]);

    /// <summary>In the order the docs list them.</summary>
    public IReadOnlyList<IStepKind> Kinds { get; }

    public IStepKind? Find(string name) => byName.GetValueOrDefault(name);
}
