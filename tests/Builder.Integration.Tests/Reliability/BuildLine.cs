using System.Text.Json;

namespace Builder.IntegrationTests.Reliability;

/// <summary>
/// One --json event line of a build, with the layer it happened in (the number of the last
/// layer-started event before it; 0 before any, <see cref="Finish"/> from the finish's overlay on).
/// </summary>
internal sealed record BuildLine(string Event, string? Phase, string? Kind, string? Cache, int? Number, string? Id, string? Description, int Layer, string Text)
{
    /// <summary>The layer number given to the finish's events.</summary>
    public const int Finish = 100;

    /// <summary>Parses a line of `builder build --json` output; null for a line that is not an event (the result object at the end).</summary>
    public static BuildLine? Parse(string text, int layer)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || String(root, "event") is not { } name) return null;
            var number = root.TryGetProperty("number", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt32() : (int?)null;
            if (name == "layer-started" && number is { } started) layer = started;
            if (name == "phase-started" && String(root, "phase") == "overlay" && String(root, "description") is { } what && what.EndsWith("the finish", StringComparison.Ordinal))
                layer = Finish;
            return new BuildLine(name, String(root, "phase"), String(root, "kind"), String(root, "cache"), number, String(root, "id"),
                String(root, "description"), layer, text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public override string ToString() => Event switch
    {
        "phase-started" or "phase-completed" => $"{Event} {Phase}",
        "step-started" or "step-completed" or "step-output" => $"{Event} {Number}{(Kind is null ? "" : " " + Kind)}",
        "layer-started" => $"layer-started {Number} ({Cache})",
        "layer-completed" => $"layer-completed {Number}",
        _ => Event,
    } + (Layer switch { 0 => "", Finish => " [finish]", _ when Event is "layer-started" or "layer-completed" => "", _ => $" [layer {Layer}]" });

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
