using Builder.Guests;
using Builder.Steps.Options;

namespace Builder.Steps.Scripts;

public sealed record RunOptions(
    [Doc("One shell command line, run with /bin/sh -e"), Shorthand] string Command,
    [Doc("Environment variables: NAME: value, or NAME: { from-env: VAR } / { from-file: PATH } for secrets")] IReadOnlyDictionary<string, EnvironmentValue>? Env = null,
    [Doc("Let the command use the network (off by default)")] bool Network = false);

public sealed class RunStep : StepKind<RunOptions>
{
    public override string Name => "run";
    public override string Summary => "Run one command inside the guest, as root";
    public override string Example => "- run: systemctl enable ssh";

    public override bool EndsLayer => true;

    protected override bool UsesNetwork(RunOptions options) => options.Network;

    protected override void Validate(RunOptions options, StepValidation validation)
    {
        if (string.IsNullOrWhiteSpace(options.Command)) validation.Error("command", "the command is empty");
        if (options.Command.Contains('\n')) validation.Error("command", "the command has several lines", "use a script step for several lines");
    }

    protected override string Describe(RunOptions options) => $"Running: {options.Command}";

    protected override async Task ExecuteAsync(RunOptions options, StepContext context, CancellationToken cancellationToken)
    {
        var result = await context.RunAsync(
            new GuestCommand(options.Command + "\n", ScriptEnvironment.Resolve(options.Env, context), options.Network), cancellationToken);
        if (!result.Succeeded) throw ScriptEnvironment.Failure($"'{options.Command}'", result);
    }
}
