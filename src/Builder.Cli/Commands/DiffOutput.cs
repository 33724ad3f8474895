using System.Text.Json.Nodes;
using Builder.Reproducibility;

namespace Builder.Cli.Commands;

/// <summary>How `builder diff` prints what it found: one line per difference and a summary, or one JSON object.</summary>
internal static class DiffOutput
{
    /// <summary>Nothing at all when A and B are identical, as diff(1) prints nothing; the exit code says it.</summary>
    public static string Text(DiffResult result) =>
        result.Identical ? "" : string.Concat(result.Entries.Select(e => e.Text + "\n")) + result.Summary + "\n";

    public static string Json(DiffResult result, string a, string b) => Planning.PlanJson.Text(Object(result, a, b));

    /// <summary>The object --json prints: what was compared, whether identical, each difference and the counts.</summary>
    public static JsonObject Object(DiffResult result, string a, string b) => new()
    {
        ["a"] = a,
        ["b"] = b,
        ["compared"] = result.Compared,
        ["identical"] = result.Identical,
        ["differences"] = new JsonArray(result.Entries.Select(Entry).ToArray()),
        ["summary"] = new JsonObject
        {
            ["added"] = result.Count(DiffKind.Added),
            ["removed"] = result.Count(DiffKind.Removed),
            ["changed"] = result.Count(DiffKind.Changed),
        },
    };

    private static JsonNode Entry(DiffEntry entry)
    {
        var json = new JsonObject { ["subject"] = entry.Subject, ["change"] = entry.KindName };
        if (entry.Detail is not null) json["detail"] = entry.Detail;
        if (entry.Attributes.Count > 0)
            json["attributes"] = new JsonArray(entry.Attributes.Select(a => (JsonNode)new JsonObject { ["name"] = a.Name, ["a"] = a.A, ["b"] = a.B }).ToArray());
        return json;
    }
}
