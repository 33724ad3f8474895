using Builder.Steps.Options;
using Builder.Steps.Support;

namespace Builder.Steps.Files;

public sealed record AppendLineOptions(
    [Doc("Absolute path of the file in the guest; created when missing")] GuestPath Path,
    [Doc("The line to add, without its line ending")] string Line);

public sealed class AppendLineStep : StepKind<AppendLineOptions>
{
    public override string Name => "append-line";
    public override string Summary => "Append a line to a file, keeping the file's line endings";
    public override string Example => "- append-line: { path: /etc/hosts, line: \"10.0.0.5 db\" }";

    protected override void Validate(AppendLineOptions options, StepValidation validation)
    {
        if (options.Line.Contains('\n') || options.Line.Contains('\r'))
            validation.Error("line", "the line contains a line break", "use one append-line step per line, or a write step");
    }

    protected override string Describe(AppendLineOptions options) => $"Appending a line to {options.Path}";

    protected override async Task ExecuteAsync(AppendLineOptions options, StepContext context, CancellationToken cancellationToken)
    {
        // Like virt-customize --append-line: a missing final newline is added first, and the
        // file's own line ending (LF or CRLF) is used.
        var existing = await GuestText.ReadIfExistsAsync(context.Guest, options.Path, cancellationToken);
        if (existing is null)
        {
            await FileTargets.RequireWritableFileAsync(context.Guest, options.Path, cancellationToken);
            await GuestText.WriteAsync(context.Guest, options.Path, options.Line + "\n", cancellationToken);
            return;
        }
        var ending = GuestText.LineEnding(existing);
        var separator = existing.Length == 0 || existing.EndsWith('\n') ? "" : ending;
        await context.Guest.AppendFileAsync(options.Path, System.Text.Encoding.UTF8.GetBytes(separator + options.Line + ending), cancellationToken);
    }
}
