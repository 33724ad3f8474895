using Builder.Steps.Options;

namespace Builder.Steps.Scripts;

/// <summary>Turns a step's env option into values, reading secrets only now, as the step runs.</summary>
internal static class ScriptEnvironment
{
    public static IReadOnlyDictionary<string, string>? Resolve(IReadOnlyDictionary<string, EnvironmentValue>? env, StepContext context) =>
        env?.ToDictionary(p => p.Key, p => p.Value switch
        {
            { Literal: { } literal } => literal,
            { FromEnv: { } variable } => context.Reveal(variable),
            { FromFile: { } file } => context.Reveal(file),
            _ => "",
        });

    /// <summary>A failed script: its exit code and its last lines, as the build's error.</summary>
    public static StepFailedException Failure(string what, Guests.GuestCommandResult result) =>
        new($"{what} exited with code {result.ExitCode}",
            result.Tail.Count == 0 ? "it printed nothing" : "its last lines:\n" + string.Join('\n', result.Tail.Select(l => "    " + l)));
}
