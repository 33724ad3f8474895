using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Builder.Planning;
using Builder.Recipes;
using Builder.Storage;

namespace Builder.Caching;

/// <summary>
/// The plan each recipe was last built from (<c>history/&lt;key&gt;.json</c> in the store, keyed by
/// the recipe file's path), so that a cache miss can say what changed: an option, an input file,
/// the template. Holds what the plan holds: no secret values.
/// </summary>
public sealed class BuildHistory(StoreLocation store)
{
    private string Folder => Path.Combine(store.Root, "history");

    public void Save(BuildPlan plan)
    {
        var json = new JsonObject
        {
            ["recipe"] = plan.Recipe.File,
            ["template"] = plan.Template.Digest,
            ["base"] = plan.BaseId,
            ["steps"] = new JsonArray(plan.Steps.Select(s => (JsonNode)new JsonObject
            {
                ["id"] = s.Id.Hex,
                ["kind"] = s.Kind,
                ["options"] = s.Options.DeepClone(),
                ["inputs"] = new JsonObject(s.Inputs.Select(i => KeyValuePair.Create(i.Key, (JsonNode?)i.Value))),
                ["secrets"] = new JsonArray(s.Secrets.Select(n => (JsonNode?)n).ToArray()),
            }).ToArray()),
        };
        Directory.CreateDirectory(Folder);
        var file = FileOf(plan.Recipe);
        var pending = $"{file}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(pending, json.ToJsonString());
        File.Move(pending, file, overwrite: true);
    }

    public PreviousPlan? Load(Recipe recipe)
    {
        var file = FileOf(recipe);
        if (!File.Exists(file)) return null;
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            var steps = json["steps"]!.AsArray().Select(s => new PreviousStep(
                (string)s!["id"]!, (string)s["kind"]!, s["options"]!.AsObject(),
                s["inputs"]!.AsObject().ToDictionary(i => i.Key, i => (string)i.Value!),
                s["secrets"]!.AsArray().Select(n => (string)n!).ToList())).ToList();
            return new PreviousPlan((string)json["template"]!, (string)json["base"]!, steps);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or IOException)
        {
            return null;
        }
    }

    private string FileOf(Recipe recipe) =>
        Path.Combine(Folder, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.Combine(recipe.Directory, Path.GetFileName(recipe.File)))))[..24] + ".json");
}

/// <summary>What a recipe's last build ran.</summary>
public sealed record PreviousPlan(string TemplateDigest, string BaseId, IReadOnlyList<PreviousStep> Steps);

public sealed record PreviousStep(string Id, string Kind, JsonObject Options, IReadOnlyDictionary<string, string> Inputs, IReadOnlyList<string> Secrets);
