using System.Text;
using System.Text.Json.Nodes;

namespace Builder.Cli.Commands.Verify;

/// <summary>How `builder verify` prints its verdict: a few lines, or one JSON object.</summary>
internal static class VerifyOutput
{
    /// <summary>
    /// "reproducible: web sha256:…", or "not reproducible: …" with the first differences (as
    /// `builder diff` prints them), "… and N more", the summary, a note and a hint.
    /// </summary>
    public static string Text(VerifyVerdict verdict)
    {
        if (verdict.Reproducible) return $"reproducible: {verdict.Recipe} {verdict.B}\n";
        var text = new StringBuilder($"not reproducible: {verdict.Recipe}: {verdict.NameOfA} {verdict.A}, {verdict.NameOfB} {verdict.B}\n");
        foreach (var entry in verdict.First) text.Append(entry.Text).Append('\n');
        if (verdict.More > 0) text.Append($"… and {verdict.More} more\n");
        if (verdict.Differences is { Identical: false } differences) text.Append(differences.Summary).Append('\n');
        if (verdict.Note is { } note) text.Append($"note: {note}\n");
        if (verdict.Hint is { } hint) text.Append($"hint: {hint}\n");
        return text.ToString();
    }

    /// <summary>The verdict, both sha256s, and every difference in the object `builder diff --json` prints.</summary>
    public static string Json(VerifyVerdict verdict) => Planning.PlanJson.Text(new JsonObject
    {
        ["recipe"] = verdict.Recipe,
        ["reproducible"] = verdict.Reproducible,
        ["against"] = verdict.Against,
        ["a"] = new JsonObject { ["name"] = verdict.NameOfA, ["output-sha256"] = verdict.A },
        ["b"] = new JsonObject { ["name"] = verdict.NameOfB, ["output-sha256"] = verdict.B },
        ["diff"] = verdict.Differences is { } differences ? DiffOutput.Object(differences, verdict.NameOfA, verdict.NameOfB) : null,
        ["note"] = verdict.Note,
        ["hint"] = verdict.Hint,
    });
}
