using Builder.Steps.Options;

namespace Builder.Steps.Files;

public sealed record LinkOptions(
    [Doc("What the link points at: an absolute or relative path, resolved inside the guest")] string Target,
    [Doc("Absolute guest path of the link; anything already there is replaced (ln -sf)")] GuestPath Link);

public sealed class LinkStep : StepKind<LinkOptions>
{
    public override string Name => "link";
    public override string Summary => "Create a symbolic link, replacing whatever is at its path";
    public override string Example => "- link: { target: /usr/share/zoneinfo/UTC, link: /etc/localtime }";

    protected override void Validate(LinkOptions options, StepValidation validation)
    {
        if (options.Target.Length == 0 || options.Target.Contains('\0'))
            validation.Error("target", "the link target is empty or contains a NUL character");
    }

    protected override string Describe(LinkOptions options) => $"Linking {options.Link} to {options.Target}";

    protected override async Task ExecuteAsync(LinkOptions options, StepContext context, CancellationToken cancellationToken)
    {
        if ((await context.Guest.LstatAsync(options.Link, cancellationToken))?.Type == Guests.GuestFileType.Directory)
            throw new StepFailedException($"{options.Link} is a folder in the guest; a link cannot replace it");
        await FileTargets.RequireWritableFileAsync(context.Guest, options.Link, cancellationToken);
        await context.Guest.SymlinkAsync(options.Target, options.Link, cancellationToken);
    }
}
