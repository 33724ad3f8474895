using System.Text.Json;
using System.Text.Json.Nodes;

namespace Builder.Reproducibility;

/// <summary>
/// Compares two Builder manifests (NAME.manifest.json): their fields (template, size, format,
/// backend, ids, source date, tree digest, output sha256), their steps one by one, and their
/// package lists (added, removed, and changed versions) when both have one. A manifest does not
/// hold the tree, so trees compare only as equal or different digests.
/// </summary>
public static class ManifestDiff
{
    private static readonly string[] Fields =
    [
        "recipe", "template.path", "template.digest", "size", "format", "backend", "id", "source-date-epoch", "source-date-from",
        "packages-from", "packages-omitted", "tree-digest", "output-sha256",
    ];

    public static DiffResult Compare(JsonObject a, JsonObject b)
    {
        var entries = new List<DiffEntry>();
        foreach (var field in Fields)
        {
            var (was, now) = (Value(a, field), Value(b, field));
            if (was != now) entries.Add(new DiffEntry(field, DiffKind.Changed, [new AttributeChange("", was, now)]));
        }
        entries.AddRange(Steps(a, b));
        if (a["packages"] is JsonArray before && b["packages"] is JsonArray after) entries.AddRange(Packages(before, after));
        return new DiffResult("manifests", entries);
    }

    /// <summary>Whether the JSON is a Builder manifest: a template with a digest, an id and a list of steps.</summary>
    public static bool IsManifest(JsonNode? json) =>
        json is JsonObject { } manifest && manifest["template"] is JsonObject { } template && template["digest"] is JsonValue
        && manifest["id"] is JsonValue && manifest["steps"] is JsonArray;

    private static IEnumerable<DiffEntry> Steps(JsonObject a, JsonObject b)
    {
        var (before, after) = (StepTexts(a), StepTexts(b));
        for (var i = 0; i < Math.Max(before.Count, after.Count); i++)
        {
            var subject = $"step {i + 1}";
            if (i >= before.Count) yield return new DiffEntry(subject, DiffKind.Added, [], after[i]);
            else if (i >= after.Count) yield return new DiffEntry(subject, DiffKind.Removed, [], before[i]);
            else if (before[i] != after[i]) yield return new DiffEntry(subject, DiffKind.Changed, [new AttributeChange("", before[i], after[i])]);
        }
    }

    private static List<string> StepTexts(JsonObject manifest) =>
        (manifest["steps"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(s => $"{Text(s["kind"])} {Short(Text(s["id"]))}").ToList();

    private static string? Short(string? id) => id is { Length: > 12 } ? id[..12] : id;

    private static IEnumerable<DiffEntry> Packages(JsonArray a, JsonArray b)
    {
        var (before, after) = (PackagesOf(a), PackagesOf(b));
        foreach (var key in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            if (!before.TryGetValue(key, out var was)) yield return new DiffEntry($"package {key}", DiffKind.Added, [], after[key]);
            else if (!after.TryGetValue(key, out var now)) yield return new DiffEntry($"package {key}", DiffKind.Removed, [], was);
            else if (was != now) yield return new DiffEntry($"package {key}", DiffKind.Changed, [new AttributeChange("", was, now)]);
        }
    }

    /// <summary>"name (arch)" → version.</summary>
    private static Dictionary<string, string> PackagesOf(JsonArray packages)
    {
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var package in packages.OfType<JsonObject>())
            versions.TryAdd($"{Text(package["name"])} ({Text(package["arch"])})", Text(package["version"]) ?? "");
        return versions;
    }

    private static string? Value(JsonObject manifest, string field)
    {
        JsonNode? node = manifest;
        foreach (var part in field.Split('.')) node = node is JsonObject obj ? obj[part] : null;
        return Text(node);
    }

    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(),
    };
}
