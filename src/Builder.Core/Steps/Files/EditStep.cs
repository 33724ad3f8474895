using System.Text.RegularExpressions;
using Builder.Execution;
using Builder.Steps.Options;
using Builder.Steps.Support;

namespace Builder.Steps.Files;

public sealed record EditOptions(
    [Doc("Absolute guest path of the text file to edit")] GuestPath Path,
    [Doc("A .NET regular expression, multiline: ^ and $ match at each line")] string Replace,
    [Doc("The replacement; $1 or ${name} insert captured groups, $$ a dollar sign")] string With,
    [Doc("When true, a missing file or a pattern that matches nothing is not an error")] bool Optional = false);

public sealed class EditStep : StepKind<EditOptions>
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(10);

    public override string Name => "edit";
    public override string Summary => "Replace every match of a regular expression in a text file";
    public override string Example => "- edit: { path: /etc/ssh/sshd_config, replace: '^#?PermitRootLogin .*$', with: 'PermitRootLogin no' }";

    protected override void Validate(EditOptions options, StepValidation validation)
    {
        try
        {
            _ = new Regex(options.Replace, RegexOptions.Multiline, MatchTimeout);
        }
        catch (ArgumentException e)
        {
            validation.Error("replace", $"the pattern is not a valid regular expression: {e.Message}",
                "quote the pattern with single quotes so YAML keeps backslashes");
        }
    }

    protected override string Describe(EditOptions options) => $"Editing {options.Path}";

    protected override async Task ExecuteAsync(EditOptions options, StepContext context, CancellationToken cancellationToken)
    {
        var text = await GuestText.ReadIfExistsAsync(context.Guest, options.Path, cancellationToken);
        if (text is null)
        {
            if (options.Optional)
            {
                context.Events.Emit(new Notice($"edit: {options.Path} does not exist; skipped (optional)"));
                return;
            }
            throw new StepFailedException($"{options.Path} does not exist in the guest", "add optional: true if it may be missing");
        }

        var regex = new Regex(options.Replace, RegexOptions.Multiline, MatchTimeout);
        // $ in multiline mode matches before '\n' only; let it match before "\r\n" too.
        var lf = text.Replace("\r\n", "\n");
        if (!regex.IsMatch(lf))
        {
            if (options.Optional)
            {
                context.Events.Emit(new Notice($"edit: the pattern matches nothing in {options.Path}; skipped (optional)"));
                return;
            }
            throw new StepFailedException($"the pattern '{options.Replace}' matches nothing in {options.Path}",
                "check the pattern against the file, or add optional: true");
        }
        var edited = regex.Replace(lf, options.With);
        if (GuestText.LineEnding(text) == "\r\n") edited = edited.Replace("\n", "\r\n");
        await GuestText.WriteAsync(context.Guest, options.Path, edited, cancellationToken);
    }
}
