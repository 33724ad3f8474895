namespace Builder.Steps;

/// <summary>A step could not do what the recipe asks (a missing file to edit, an unknown user). The message says why.</summary>
public sealed class StepFailedException(string message, string? hint = null) : Exception(message)
{
    public string? Hint { get; } = hint;
}
