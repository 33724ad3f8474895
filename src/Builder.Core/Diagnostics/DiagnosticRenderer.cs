using System.Text;

namespace Builder.Diagnostics;

/// <summary>
/// Renders diagnostics compiler-style: location, code and message on one line, then the YAML
/// path, the source line with the span underlined, and the hint.
/// </summary>
public static class DiagnosticRenderer
{
    /// <param name="sourceLines">The text of a file by its display path, or null when unavailable.</param>
    public static string Render(IEnumerable<Diagnostic> diagnostics, Func<string, string?> sourceText)
    {
        var list = diagnostics.ToList();
        var texts = new Dictionary<string, string[]?>(StringComparer.Ordinal);
        var output = new StringBuilder();
        foreach (var diagnostic in list)
        {
            if (!texts.TryGetValue(diagnostic.Span.File, out var lines))
            {
                lines = sourceText(diagnostic.Span.File)?.Split('\n');
                texts[diagnostic.Span.File] = lines;
            }
            RenderOne(output, diagnostic, lines);
            output.Append('\n');
        }
        output.Append(Summary(list));
        output.Append('\n');
        return output.ToString();
    }

    public static string Summary(IReadOnlyCollection<Diagnostic> diagnostics)
    {
        var errors = diagnostics.Count(d => d.IsError);
        var warnings = diagnostics.Count - errors;
        return $"{Plural(errors, "error")}, {Plural(warnings, "warning")}";
    }

    private static void RenderOne(StringBuilder output, Diagnostic d, string[]? lines)
    {
        var severity = d.IsError ? "error" : "warning";
        output.Append($"{d.Span}: {severity} {d.Code}: {d.Message}\n");
        output.Append($"  at {d.Path}\n");
        if (lines is not null && d.Span.Line >= 1 && d.Span.Line <= lines.Length)
        {
            var number = d.Span.Line.ToString();
            var gutter = new string(' ', number.Length);
            var line = lines[d.Span.Line - 1].TrimEnd('\r').Replace('\t', ' ');
            var column = Math.Clamp(d.Span.Column, 1, line.Length + 1);
            var length = Math.Clamp(d.Span.Length, 1, Math.Max(1, line.Length + 1 - column));
            output.Append($"  {gutter} |\n");
            output.Append($"  {number} | {line}\n");
            output.Append($"  {gutter} | {new string(' ', column - 1)}{new string('^', length)}\n");
        }
        if (d.Hint is not null) output.Append($"  hint: {d.Hint}\n");
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
