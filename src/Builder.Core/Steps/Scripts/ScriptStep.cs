using Builder.Guests;
using Builder.Steps.Options;

namespace Builder.Steps.Scripts;

[ExactlyOneOf("content", "file")]
public sealed record ScriptOptions(
    [Doc("The script, inline; run with /bin/sh -e unless it starts with #!"), Shorthand] string? Content = null,
    [Doc("A host file holding the script, relative to the recipe; its bytes are part of the step's id")] LocalFile? File = null,
    [Doc("Environment variables for the script: NAME: value, or NAME: { from-env: VAR } / { from-file: PATH } for secrets")] IReadOnlyDictionary<string, EnvironmentValue>? Env = null,
    [Doc("Let the script use the network (off by default: the script runs with no network at all)")] bool Network = false);

public sealed class ScriptStep : StepKind<ScriptOptions>
{
    public override string Name => "script";
    public override string Summary => "Run a shell script inside the guest, as root";
    public override string Example => "- script: |\n    systemctl enable nginx\n    echo 'ready' > /etc/app-ready";

    public override bool EndsLayer => true;

    protected override bool UsesNetwork(ScriptOptions options) => options.Network;

    protected override void Validate(ScriptOptions options, StepValidation validation)
    {
        if (options.Content is { Length: 0 }) validation.Error("content", "the script is empty");
    }

    protected override string Describe(ScriptOptions options) =>
        options.File is { } file ? $"Running {file.Path}" : $"Running a script: {FirstLine(options.Content!)}";

    protected override async Task ExecuteAsync(ScriptOptions options, StepContext context, CancellationToken cancellationToken)
    {
        var script = options.Content ?? await System.IO.File.ReadAllTextAsync(options.File!.FullPath, cancellationToken);
        var result = await context.RunAsync(
            new GuestCommand(script, ScriptEnvironment.Resolve(options.Env, context), options.Network), cancellationToken);
        if (!result.Succeeded) throw ScriptEnvironment.Failure("the script", result);
    }

    private static string FirstLine(string script)
    {
        var line = script.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith('#')) ?? "";
        return line.Length > 60 ? line[..57] + "..." : line;
    }
}
