using System.Collections;

namespace Builder.Diagnostics;

/// <summary>Collects diagnostics so that every problem is reported at once.</summary>
public sealed class DiagnosticBag : IReadOnlyList<Diagnostic>
{
    private readonly List<Diagnostic> items = [];

    public bool HasErrors => items.Any(d => d.IsError);

    public int Count => items.Count;

    public Diagnostic this[int index] => items[index];

    public void Error(string code, string message, SourceSpan span, string path, string? hint = null) =>
        items.Add(new Diagnostic(code, Severity.Error, message, span, path, hint));

    /// <summary>In source order, so the rendering reads top to bottom.</summary>
    public IReadOnlyList<Diagnostic> Sorted() =>
        items.OrderBy(d => d.Span.File, StringComparer.Ordinal)
             .ThenBy(d => d.Span.Line).ThenBy(d => d.Span.Column)
             .ToList();

    public IEnumerator<Diagnostic> GetEnumerator() => items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
