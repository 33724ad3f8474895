using System.Text;
using Builder.Steps.Options;
using Builder.Steps.Packages;

namespace Builder.Steps.Firstboot;

[ExactlyOneOf("script", "command", "install")]
public sealed record FirstbootOptions(
    [Doc("A script to run at first boot, with /bin/sh -e unless it starts with #!")] string? Script = null,
    [Doc("One command line to run at first boot")] string? Command = null,
    [Doc("Packages to install at first boot, with the guest's package manager")] IReadOnlyList<string>? Install = null);

/// <summary>
/// Installs a once-only first-boot job: the scripts run in recipe order at the guest's first boot
/// (systemd, or sysvinit where there is no systemd), log to /var/log/builder-firstboot.log and the
/// console, and the job then disables itself.
/// </summary>
public sealed class FirstbootStep : StepKind<FirstbootOptions>
{
    public override string Name => "firstboot";
    public override string Summary => "Run a script, a command or a package install once, at the guest's first boot";
    public override string Example => "- firstboot: { command: \"dpkg-reconfigure openssh-server\" }";

    public override bool EndsLayer => true;

    protected override void Validate(FirstbootOptions options, StepValidation validation)
    {
        if (options.Install is { } packages)
            foreach (var package in packages.Where(p => !PackageSteps.IsValidName(p)))
                validation.Error("install", $"'{package}' is not a package name");
    }

    protected override string Describe(FirstbootOptions options) => options switch
    {
        { Command: { } command } => $"Adding a first-boot command: {command}",
        { Install: { } packages } => $"Adding a first-boot install: {string.Join(' ', packages)}",
        _ => "Adding a first-boot script",
    };

    protected override async Task ExecuteAsync(FirstbootOptions options, StepContext context, CancellationToken cancellationToken)
    {
        var script = options switch
        {
            { Command: { } command } => command + "\n",
            { Install: { } packages } => PackageSteps.ManagerOf(context).Install(packages, recommends: false),
            _ => options.Script!,
        };
        await FirstbootJob.EnsureInstalledAsync(context.Guest, cancellationToken);
        // Named by execution order, so they run in recipe order.
        var file = $"{FirstbootJob.Scripts}/{context.Number:D4}-{Name}";
        await context.Guest.WriteFileAsync(file, Encoding.UTF8.GetBytes(script), cancellationToken);
        await context.Guest.ChmodAsync(file, 0x1ED /* 0755 */, cancellationToken);
    }
}
