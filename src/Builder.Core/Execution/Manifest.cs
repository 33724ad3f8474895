using System.Text.Json;
using System.Text.Json.Nodes;
using Builder.Planning;
using Builder.Recipes;

namespace Builder.Execution;

/// <summary>
/// manifest.json beside the image: which template and steps made it. Holds no secret and no
/// time, so two builds of the same plan write the same manifest.
/// </summary>
internal static class Manifest
{
    public static string PathFor(string outputPath) => outputPath + ".manifest.json";

    public static string Create(BuildPlan plan, string backend, ImageFormat format)
    {
        var manifest = new JsonObject
        {
            ["recipe"] = plan.Recipe.Name,
            ["template"] = new JsonObject { ["path"] = plan.Template.Path, ["digest"] = plan.Template.Digest },
            ["size"] = plan.Recipe.Size?.Bytes,
            ["format"] = format.Name(),
            ["backend"] = backend,
            ["id"] = plan.FinalId,
            ["steps"] = new JsonArray(plan.Steps.Select(s => (JsonNode)new JsonObject
            {
                ["id"] = s.Id.Hex,
                ["kind"] = s.Kind,
            }).ToArray()),
        };
        return manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }
}
