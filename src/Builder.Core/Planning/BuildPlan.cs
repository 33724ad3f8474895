using System.Text.Json.Nodes;
using Builder.Recipes;

namespace Builder.Planning;

/// <summary>A compiled recipe: what to start from and which steps to run, in execution order. Immutable.</summary>
public sealed record BuildPlan(
    Recipe Recipe,
    PlannedTemplate Template,
    IReadOnlyList<PlannedStep> Steps)
{
    /// <summary>Whether any step needs the network: only then does the guest session get one.</summary>
    public bool UsesNetwork => Steps.Any(s => s.Network);

    /// <summary>The id of the finished disk: the last step's id, or the base when there are no steps.</summary>
    public string FinalId => Steps.Count > 0 ? Steps[^1].Id.Hex : StepId.Base(Template.Digest, Recipe.Size?.Bytes);
}

/// <summary>The template as the plan records it: as written, and its digest.</summary>
public sealed record PlannedTemplate(string Path, string FullPath, string Digest);

/// <summary>One step in execution order, with its content-addressed id.</summary>
/// <param name="Number">1-based position in execution order.</param>
/// <param name="Inputs">Host input files as written, with their sha256.</param>
/// <param name="Secrets">Names of the secrets the step reads ("env:ROOT_PASSWORD"), never values.</param>
/// <param name="Source">"recipe.yaml:12:5": where the step is written.</param>
public sealed record PlannedStep(
    StepId Id,
    int Number,
    RecipeStep Step,
    JsonObject Options,
    IReadOnlyDictionary<string, string> Inputs,
    IReadOnlyList<string> Secrets,
    string Description,
    bool Network)
{
    public string Kind => Step.Kind.Name;

    public string Source => Step.Span.ToString();
}
