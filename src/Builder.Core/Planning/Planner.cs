using System.Text.Json.Nodes;
using Builder.Recipes;
using Builder.Steps;
using Builder.Steps.Options;
using Builder.Templates;

namespace Builder.Planning;

/// <summary>
/// Compiles a recipe into a plan. Pure: no clock, no randomness, no I/O but hashing the template
/// and input files, so the same recipe gives the same plan on every machine.
/// </summary>
public sealed class Planner(IFileDigests digests)
{
    /// <summary>For a recipe whose template is a disk image path (hashed here).</summary>
    /// <param name="sourceDate">The source date the caller resolved (<see cref="Reproducibility.SourceDateResolver"/>): the plan records it.</param>
    public BuildPlan Plan(Recipe recipe, Reproducibility.SourceDate? sourceDate = null) =>
        Plan(recipe, new ResolvedTemplate(recipe.Template.Written,
            recipe.Template.FullPath ?? throw new InvalidOperationException("a named template must be resolved first"),
            digests.Sha256(recipe.Template.FullPath), null), sourceDate);

    /// <param name="sourceDate">The source date the caller resolved (<see cref="Reproducibility.SourceDateResolver"/>): the plan records it.</param>
    public BuildPlan Plan(Recipe recipe, ResolvedTemplate resolved, Reproducibility.SourceDate? sourceDate = null)
    {
        var template = new PlannedTemplate(resolved.Reference, resolved.Path, resolved.Digest);
        var ordered = recipe.Steps.Where(s => s.Kind.Order == StepOrder.InOrder)
            .Concat(recipe.Steps.Where(s => s.Kind.Order == StepOrder.Last));

        var parent = StepId.Base(template.Digest, recipe.Size?.Bytes);
        var planned = new List<PlannedStep>();
        foreach (var step in ordered)
        {
            var (options, inputs, secrets) = Describe(step);
            var id = StepId.Compute(parent, step.Kind.Name, options, inputs, secrets);
            planned.Add(new PlannedStep(id, planned.Count + 1, step, options, inputs, secrets, step.Kind.Describe(step.Options),
                step.Kind.UsesNetwork(step.Options), secrets.Count > 0 || step.Kind.IsVolatile(step.Options)));
            parent = id.Hex;
        }
        return new BuildPlan(recipe, template, planned, sourceDate);
    }

    private (JsonObject Options, IReadOnlyDictionary<string, string> Inputs, IReadOnlyList<string> Secrets) Describe(RecipeStep step)
    {
        var canonical = CanonicalOptions.Of(step.Kind.Options, step.Options);
        var inputs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var input in canonical.Inputs) inputs[input.Path] = digests.Sha256(input.FullPath);
        return (canonical.Options, inputs, canonical.Secrets);
    }
}
