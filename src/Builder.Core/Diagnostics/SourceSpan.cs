namespace Builder.Diagnostics;

/// <summary>A place in a source file: 1-based line and column, and the length to underline.</summary>
public sealed record SourceSpan(string File, int Line, int Column, int Length = 1)
{
    public static SourceSpan StartOf(string file) => new(file, 1, 1);

    public override string ToString() => $"{File}:{Line}:{Column}";
}
