using Builder.Guests;
using Builder.Steps.Options;

namespace Builder.Steps.Files;

public sealed record UploadOptions(
    [Doc("Host file to copy, relative to the recipe; its bytes are part of the step's id")] LocalFile From,
    [Doc("Guest path to copy it to; into it, under the same name, when it is an existing folder")] GuestPath To,
    [Doc("Permission bits for the copied file, for example \"0600\"")] FilePermissions? Mode = null);

public sealed class UploadStep : StepKind<UploadOptions>
{
    public override string Name => "upload";
    public override string Summary => "Copy a file from the build host into the guest";
    public override string Example => "- upload: { from: files/nginx.conf, to: /etc/nginx/nginx.conf, mode: \"0644\" }";

    protected override string Describe(UploadOptions options) => $"Uploading {options.From} to {options.To}";

    protected override async Task ExecuteAsync(UploadOptions options, StepContext context, CancellationToken cancellationToken)
    {
        var target = options.To.Value;
        if ((await context.Guest.LstatAsync(target, cancellationToken))?.Type == GuestFileType.Directory)
            target = target.TrimEnd('/') + "/" + Path.GetFileName(options.From.FullPath);
        else
            await FileTargets.RequireWritableFileAsync(context.Guest, target, cancellationToken);
        await context.Guest.UploadAsync(options.From.FullPath, target, cancellationToken);
        if (options.Mode is { } mode) await context.Guest.ChmodAsync(target, mode.Value, cancellationToken);
    }
}
