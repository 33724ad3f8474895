using Builder.Steps.Options;

namespace Builder.Steps.Files;

public sealed record MkdirOptions(
    [Doc("Absolute path of the folder; missing parents are created too (mkdir -p)"), Shorthand] GuestPath Path,
    [Doc("Permission bits for the folder, for example \"0750\"")] FilePermissions? Mode = null);

public sealed class MkdirStep : StepKind<MkdirOptions>
{
    public override string Name => "mkdir";
    public override string Summary => "Create a folder and any missing parents";
    public override string Example => "- mkdir: /srv/app";

    protected override string Describe(MkdirOptions options) => $"Creating folder {options.Path}";

    protected override async Task ExecuteAsync(MkdirOptions options, StepContext context, CancellationToken cancellationToken)
    {
        var stat = await context.Guest.LstatAsync(options.Path, cancellationToken);
        if (stat is not null && stat.Type != Guests.GuestFileType.Directory && stat.Type != Guests.GuestFileType.Symlink)
            throw new StepFailedException($"{options.Path} exists in the guest and is not a folder");
        await context.Guest.MkdirAsync(options.Path, cancellationToken);
        if (options.Mode is { } mode) await context.Guest.ChmodAsync(options.Path, mode.Value, cancellationToken);
    }
}
