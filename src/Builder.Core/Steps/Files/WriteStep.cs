using System.Text;
using Builder.Guests;
using Builder.Steps.Options;

namespace Builder.Steps.Files;

public sealed record WriteOptions(
    [Doc("Absolute path of the file in the guest; its folder must exist")] GuestPath Path,
    [Doc("The file's whole content, written as UTF-8 exactly as given (no newline is added)")] string Content,
    [Doc("Permission bits, for example \"0644\"; when omitted an existing file keeps its mode and a new one gets 0644")] FilePermissions? Mode = null);

public sealed class WriteStep : StepKind<WriteOptions>
{
    public override string Name => "write";
    public override string Summary => "Create or replace a file with the given content";
    public override string Example => "- write: { path: /etc/motd, content: \"hello\\n\", mode: \"0644\" }";

    protected override string Describe(WriteOptions options) => $"Writing {options.Path}";

    protected override async Task ExecuteAsync(WriteOptions options, StepContext context, CancellationToken cancellationToken)
    {
        await FileTargets.RequireWritableFileAsync(context.Guest, options.Path, cancellationToken);
        await context.Guest.WriteFileAsync(options.Path, Encoding.UTF8.GetBytes(options.Content), cancellationToken);
        if (options.Mode is { } mode) await context.Guest.ChmodAsync(options.Path, mode.Value, cancellationToken);
    }
}
