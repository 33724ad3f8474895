using Builder.Diagnostics;
using Builder.Planning;

namespace Builder.Execution;

public enum BuildOutcome
{
    Succeeded,

    /// <summary>The input was invalid; nothing was built. See Diagnostics.</summary>
    Invalid,

    /// <summary>The build ran and failed. See Error.</summary>
    Failed,

    /// <summary>The build was cancelled (Ctrl-C).</summary>
    Cancelled,
}

/// <summary>Why a build failed: one paragraph for the user, and where in the recipe when a step failed.</summary>
/// <param name="Source">"recipe.yaml:12:5" of the failing step, when a step failed.</param>
/// <param name="Detail">The underlying exception's text, for -v.</param>
public sealed record BuildError(string Message, string? Hint, string? Source, string? Detail);

/// <summary>What a build produced, or why it did not.</summary>
public sealed record BuildResult(
    BuildOutcome Outcome,
    BuildPlan? Plan,
    string? OutputPath,
    IReadOnlyList<Diagnostic> Diagnostics,
    BuildError? Error,
    TimeSpan Elapsed)
{
    public bool Succeeded => Outcome == BuildOutcome.Succeeded;
}
