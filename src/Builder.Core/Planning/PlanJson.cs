using System.Text.Json;
using System.Text.Json.Nodes;
using Builder.Recipes;

namespace Builder.Planning;

/// <summary>
/// The plan as JSON (`builder plan --json`): template, output and the steps in execution order.
/// Paths are as written or relative to the recipe, so the same recipe gives the same JSON anywhere.
/// </summary>
public static class PlanJson
{
    public static JsonObject ToJson(BuildPlan plan)
    {
        var recipe = plan.Recipe;
        return new JsonObject
        {
            ["recipe"] = recipe.Name,
            ["file"] = recipe.File,
            ["template"] = new JsonObject
            {
                [recipe.Template.IsName ? "name" : "path"] = plan.Template.Path,
                ["digest"] = plan.Template.Digest,
            },
            ["size"] = recipe.Size?.Bytes,
            ["output"] = new JsonObject
            {
                ["path"] = Path.GetRelativePath(recipe.Directory, recipe.Output.Path),
                ["format"] = recipe.Output.Format.Name(),
            },
            ["id"] = plan.FinalId,
            ["steps"] = new JsonArray(plan.Steps.Select(Step).ToArray()),
        };
    }

    public static string ToText(BuildPlan plan) =>
        ToJson(plan).ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";

    private static JsonNode Step(PlannedStep step)
    {
        var json = new JsonObject
        {
            ["number"] = step.Number,
            ["id"] = step.Id.Hex,
            ["kind"] = step.Kind,
            ["description"] = step.Description,
            ["options"] = JsonNode.Parse(CanonicalJson.ToText(step.Options)),
            ["source"] = step.Source,
        };
        if (step.Network) json["network"] = true;
        if (step.Inputs.Count > 0)
            json["inputs"] = new JsonObject(step.Inputs.Select(i => KeyValuePair.Create(i.Key, (JsonNode?)i.Value)));
        if (step.Secrets.Count > 0)
            json["secrets"] = new JsonArray(step.Secrets.Select(s => (JsonNode?)s).ToArray());
        return json;
    }
}
