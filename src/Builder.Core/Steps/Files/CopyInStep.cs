using Builder.Guests;
using Builder.Steps.Options;

namespace Builder.Steps.Files;

public sealed record CopyInOptions(
    [Doc("Host folder whose contents are copied, relative to the recipe; its whole tree is part of the step's id")] LocalFolder From,
    [Doc("Guest folder to copy into; created when missing")] GuestPath To);

public sealed class CopyInStep : StepKind<CopyInOptions>
{
    public override string Name => "copy-in";
    public override string Summary => "Copy a host folder's contents into the guest recursively, keeping permission bits";
    public override string Example => "- copy-in: { from: files/site, to: /srv/www }";

    protected override string Describe(CopyInOptions options) => $"Copying {options.From}/ into {options.To}";

    protected override async Task ExecuteAsync(CopyInOptions options, StepContext context, CancellationToken cancellationToken)
    {
        var stat = await context.Guest.LstatAsync(options.To, cancellationToken);
        if (stat is not null && stat.Type != GuestFileType.Directory)
            throw new StepFailedException($"{options.To} exists in the guest and is not a folder");
        if (stat is null) await context.Guest.MkdirAsync(options.To, cancellationToken);
        await context.Guest.CopyInAsync(options.From.FullPath, options.To, cancellationToken);
    }
}
