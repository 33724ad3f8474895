namespace Builder.Diagnostics;

public enum Severity { Error, Warning }

/// <summary>
/// One problem found in the input, with where it is and what to do about it.
/// <paramref name="Path"/> is the YAML path of the offending node (".steps[2].write.mode").
/// </summary>
public sealed record Diagnostic(
    string Code,
    Severity Severity,
    string Message,
    SourceSpan Span,
    string Path,
    string? Hint = null)
{
    public bool IsError => Severity == Severity.Error;

    public override string ToString() =>
        $"{Span}: {Severity.ToString().ToLowerInvariant()} {Code}: {Message} (at {Path})" + (Hint is null ? "" : $"; hint: {Hint}");
}
