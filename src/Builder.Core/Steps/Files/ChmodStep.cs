using Builder.Steps.Options;

namespace Builder.Steps.Files;

public sealed record ChmodOptions(
    [Doc("Absolute guest path of the file or folder")] GuestPath Path,
    [Doc("Permission bits as an octal string, for example \"0750\" or \"4755\"")] FilePermissions Mode);

public sealed class ChmodStep : StepKind<ChmodOptions>
{
    public override string Name => "chmod";
    public override string Summary => "Set the permission bits of a file or folder";
    public override string Example => "- chmod: { path: /srv/app, mode: \"0750\" }";

    protected override string Describe(ChmodOptions options) => $"Setting mode {options.Mode} on {options.Path}";

    protected override async Task ExecuteAsync(ChmodOptions options, StepContext context, CancellationToken cancellationToken)
    {
        if (await context.Guest.LstatAsync(options.Path, cancellationToken) is null)
            throw new StepFailedException($"{options.Path} does not exist in the guest");
        await context.Guest.ChmodAsync(options.Path, options.Mode.Value, cancellationToken);
    }
}
