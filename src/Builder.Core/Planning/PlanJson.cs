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
    /// <param name="backend">Which backend would run it and why; not part of any id (both backends build the same tree).</param>
    /// <param name="layers">Whether each layer is in the cache, and why not; without it, steps carry only their layer number.</param>
    public static JsonObject ToJson(BuildPlan plan, Execution.BackendDecision? backend = null, IReadOnlyList<Caching.LayerState>? layers = null)
    {
        var layerOf = plan.Layers.SelectMany(l => l.Steps.Select(s => (s.Number, Layer: l))).ToDictionary(p => p.Number, p => p.Layer);
        var stateOf = layers?.ToDictionary(l => l.Layer.Number);
        var recipe = plan.Recipe;
        var json = new JsonObject
        {
            ["recipe"] = recipe.Name,
            ["file"] = recipe.File,
            ["template"] = new JsonObject
            {
                [recipe.Template.IsName ? "name" : "path"] = plan.Template.Path,
                ["digest"] = plan.Template.Digest,
            },
            ["size"] = recipe.Size?.Bytes,
            ["source-date-epoch"] = plan.SourceDate?.Epoch,
            ["output"] = new JsonObject
            {
                ["path"] = Path.GetRelativePath(recipe.Directory, recipe.Output.Path),
                ["format"] = recipe.Output.Format.Name(),
            },
            ["id"] = plan.FinalId,
            ["steps"] = new JsonArray(plan.Steps.Select(s => Step(s, layerOf[s.Number], stateOf?[layerOf[s.Number].Number])).ToArray()),
            ["layers"] = new JsonArray(plan.Layers.Select(l => Layer(l, stateOf?[l.Number])).ToArray()),
        };
        if (plan.SourceDate is { } sourceDate) json.Insert(json.IndexOf("output"), "source-date-from", sourceDate.From);
        if (plan.Finish is { } finish)
        {
            json["finish"] = new JsonObject { ["id"] = finish.Id, ["clean-package-caches"] = finish.CleanPackageCaches, ["sparsify"] = finish.Sparsify, ["cacheable"] = finish.Cacheable };
            if (finish.RemoveBuildNoise) json["finish"]!["remove-build-noise"] = true;
        }
        if (recipe.Output.Reproducible) json["output"]!["reproducible"] = true;
        if (backend is not null) json["backend"] = new JsonObject { ["name"] = backend.Name, ["reason"] = backend.Reason };
        return json;
    }

    public static string ToText(BuildPlan plan, Execution.BackendDecision? backend = null, IReadOnlyList<Caching.LayerState>? layers = null) =>
        Text(ToJson(plan, backend, layers));

    public static string Text(JsonNode json) =>
        json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";

    private static JsonNode Layer(PlannedLayer layer, Caching.LayerState? state)
    {
        var json = new JsonObject
        {
            ["number"] = layer.Number,
            ["id"] = layer.Id,
            ["parent"] = layer.Parent,
            ["steps"] = new JsonArray(layer.Steps.Select(s => (JsonNode?)s.Number).ToArray()),
        };
        if (!layer.Cacheable) json["cacheable"] = false;
        if (state is not null)
        {
            json["cache"] = state.Cache;
            if (state.Reason is not null) json["reason"] = state.Reason;
        }
        return json;
    }

    private static JsonNode Step(PlannedStep step, PlannedLayer layer, Caching.LayerState? state)
    {
        var json = new JsonObject
        {
            ["number"] = step.Number,
            ["id"] = step.Id.Hex,
            ["kind"] = step.Kind,
            ["description"] = step.Description,
            ["options"] = JsonNode.Parse(CanonicalJson.ToText(step.Options)),
            ["source"] = step.Source,
            ["layer"] = layer.Number,
        };
        if (state is not null) json["cache"] = state.Cache;
        if (step.Volatile) json["volatile"] = true;
        if (step.Network) json["network"] = true;
        if (step.Inputs.Count > 0)
            json["inputs"] = new JsonObject(step.Inputs.Select(i => KeyValuePair.Create(i.Key, (JsonNode?)i.Value)));
        if (step.Secrets.Count > 0)
            json["secrets"] = new JsonArray(step.Secrets.Select(s => (JsonNode?)s).ToArray());
        return json;
    }
}
