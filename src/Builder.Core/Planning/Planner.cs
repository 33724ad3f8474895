using System.Text.Json.Nodes;
using Builder.Recipes;
using Builder.Steps;

namespace Builder.Planning;

/// <summary>
/// Compiles a recipe into a plan. Pure: no clock, no randomness, no I/O but hashing the template
/// and input files, so the same recipe gives the same plan on every machine.
/// </summary>
public sealed class Planner(IFileDigests digests)
{
    public BuildPlan Plan(Recipe recipe)
    {
        var template = new PlannedTemplate(recipe.Template.Written, recipe.Template.FullPath, digests.Sha256(recipe.Template.FullPath));
        var ordered = recipe.Steps.Where(s => s.Kind.Order == StepOrder.InOrder)
            .Concat(recipe.Steps.Where(s => s.Kind.Order == StepOrder.Last));

        var parent = StepId.Base(template.Digest, recipe.Size?.Bytes);
        var planned = new List<PlannedStep>();
        foreach (var step in ordered)
        {
            var (options, inputs, secrets) = Describe(step);
            var id = StepId.Compute(parent, step.Kind.Name, options, inputs, secrets);
            planned.Add(new PlannedStep(id, planned.Count + 1, step, options, inputs, secrets, step.Kind.Describe(step.Options)));
            parent = id.Hex;
        }
        return new BuildPlan(recipe, template, planned);
    }

    private (JsonObject Options, IReadOnlyDictionary<string, string> Inputs, IReadOnlyList<string> Secrets) Describe(RecipeStep step)
    {
        var options = new JsonObject();
        var inputs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var secrets = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (field, value) in step.Kind.Options.Values(step.Options))
        {
            // Omitting an option and giving its default mean the same, so they hash the same.
            if (value is null || Equals(value, field.DefaultValue)) continue;
            options[field.Name] = field.Type.Canonical(value);
            foreach (var input in field.Type.Inputs(value)) inputs[input.Path] = digests.Sha256(input.FullPath);
            foreach (var secret in field.Type.Secrets(value)) secrets.Add(secret);
        }
        return (options, inputs, secrets.ToList());
    }
}
