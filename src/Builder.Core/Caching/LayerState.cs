using Builder.Planning;

namespace Builder.Caching;

/// <summary>Whether a layer of a plan comes from the cache, and if not, why.</summary>
/// <param name="Hit">Taken from the cache as it is.</param>
/// <param name="Reason">For a miss: what changed, or why the layer is not cached.</param>
public sealed record LayerState(PlannedLayer Layer, bool Hit, string? Reason)
{
    public string Cache => Hit ? "hit" : "miss";
}

/// <summary>Explains cache misses by comparing a plan with the recipe's last build.</summary>
public static class MissReasons
{
    /// <summary>
    /// The state of every layer: hits up to the first layer that is not cached (a rebuild resumes
    /// from the deepest cached layer), misses after it. <paramref name="isCached"/> says whether a
    /// layer is in the cache; <paramref name="problems"/> why a cached one was discarded.
    /// </summary>
    public static IReadOnlyList<LayerState> States(BuildPlan plan, Func<PlannedLayer, bool> isCached, PreviousPlan? previous,
        IReadOnlyDictionary<string, string>? problems = null)
    {
        var states = new List<LayerState>();
        var missed = false;
        foreach (var layer in plan.Layers)
        {
            if (!missed && layer.Cacheable && isCached(layer))
            {
                states.Add(new LayerState(layer, true, null));
                continue;
            }
            string? problem = null;
            problems?.TryGetValue(layer.Id, out problem);
            states.Add(new LayerState(layer, false, Explain(plan, layer, previous, missed ? states[^1].Layer : null, problem)));
            missed = true;
        }
        return states;
    }

    private static string Explain(BuildPlan plan, PlannedLayer layer, PreviousPlan? previous, PlannedLayer? rebuiltBefore, string? problem)
    {
        if (layer.Steps.FirstOrDefault(s => s.Volatile) is { } volatileStep)
            return $"step {volatileStep.Number} ({volatileStep.Kind}) {(volatileStep.Secrets.Count > 0 ? "reads a secret" : "makes a random value")}, so its layer runs in every build";
        if (!layer.Cacheable) return "it follows a layer that runs in every build";
        if (problem is not null) return $"the cached layer was unusable ({problem}) and was discarded";
        if (previous is null) return rebuiltBefore is null ? "not built before" : $"it follows layer {rebuiltBefore.Number}, which is rebuilt";
        if (rebuiltBefore is null && previous.TemplateDigest != plan.Template.Digest)
            return $"the template's digest changed ({Short(previous.TemplateDigest)} -> {Short(plan.Template.Digest)})";
        if (rebuiltBefore is null && previous.BaseId != plan.BaseId) return "the disk size changed";
        foreach (var step in layer.Steps)
        {
            var index = step.Number - 1;
            if (index >= previous.Steps.Count) return $"step {step.Number} ({step.Kind}) is new";
            var before = previous.Steps[index];
            if (before.Id == step.Id.Hex) continue;
            if (before.Kind != step.Kind) return $"step {step.Number} is now '{step.Kind}', was '{before.Kind}'";
            if (ChangedOption(before, step) is { } option) return $"step {step.Number} ({step.Kind}): option '{option}' changed";
            if (ChangedInput(before, step) is { } input) return $"step {step.Number} ({step.Kind}): input file {input} changed";
            if (!before.Secrets.SequenceEqual(step.Secrets)) return $"step {step.Number} ({step.Kind}): the names of its secrets changed";
            if (rebuiltBefore is not null) return $"it follows layer {rebuiltBefore.Number}, which is rebuilt";
            return $"step {step.Number} ({step.Kind}): a step before it changed";
        }
        if (rebuiltBefore is not null) return $"it follows layer {rebuiltBefore.Number}, which is rebuilt";
        return "not in the cache (pruned, or not built on this backend yet)";
    }

    private static string? ChangedOption(PreviousStep before, PlannedStep step)
    {
        var keys = before.Options.Select(o => o.Key).Union(step.Options.Select(o => o.Key)).Order(StringComparer.Ordinal);
        return keys.FirstOrDefault(key => !System.Text.Json.Nodes.JsonNode.DeepEquals(before.Options[key], step.Options[key]));
    }

    private static string? ChangedInput(PreviousStep before, PlannedStep step)
    {
        var paths = before.Inputs.Keys.Union(step.Inputs.Keys).Order(StringComparer.Ordinal);
        return paths.FirstOrDefault(path => before.Inputs.GetValueOrDefault(path) != step.Inputs.GetValueOrDefault(path));
    }

    private static string Short(string digest) => digest.Replace("sha256:", "")[..12];
}
