namespace Builder.Templates.Building;

/// <summary>A template could not be built: the message says what failed and, where known, what to do.</summary>
public sealed class TemplateBuildException(string message, string? hint = null, Exception? inner = null) : Exception(message, inner)
{
    public string? Hint { get; } = hint;
}
