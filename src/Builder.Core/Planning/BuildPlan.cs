using System.Text.Json.Nodes;
using Builder.Recipes;

namespace Builder.Planning;

/// <summary>A compiled recipe: what to start from and which steps to run, in execution order. Immutable.</summary>
/// <param name="SourceDate">
/// The build's source date, resolved outside the planner (<see cref="Reproducibility.SourceDateResolver"/>) and
/// recorded in the plan and the manifest; no step id depends on it yet.
/// </param>
public sealed record BuildPlan(
    Recipe Recipe,
    PlannedTemplate Template,
    IReadOnlyList<PlannedStep> Steps,
    Reproducibility.SourceDate? SourceDate = null)
{
    /// <summary>Whether any step needs the network: only then does the guest session get one.</summary>
    public bool UsesNetwork => Steps.Any(s => s.Network);

    /// <summary>The id of the finished disk: the finish's id, or the base when there are no steps.</summary>
    public string FinalId => Finish?.Id ?? BaseId;

    /// <summary>The parent of the first step: the template's digest, with the size when the recipe grows the disk.</summary>
    public string BaseId => StepId.Base(Template.Digest, Recipe.Size?.Bytes);

    /// <summary>
    /// The steps grouped into cached layers: a layer ends after an expensive step (packages,
    /// scripts, firstboot) or a checkpoint; cheap file steps join the next one. Each layer is one
    /// qcow2 overlay and one guest session, cached under the id of its last step.
    /// </summary>
    public IReadOnlyList<PlannedLayer> Layers => layers ??= PlannedLayer.Group(BaseId, Steps);

    /// <summary>The image's last layer (see <see cref="Execution.ImageFinish"/>); none when there are no steps.</summary>
    public PlannedFinish? Finish => Layers.Count == 0
        ? null
        : finish ??= PlannedFinish.After(Layers[^1], Execution.ImageFinish.CleansPackageCaches(Steps.Select(s => s.Step)), Recipe.Output.Sparsify,
            Recipe.Output.TreeDigest, Recipe.Output.Reproducible);

    private IReadOnlyList<PlannedLayer>? layers;
    private PlannedFinish? finish;
}

/// <summary>The finish layer: cleaning, identity removal and sparsifying after the last step, cached under an id of its own.</summary>
/// <param name="Sparsify">output.sparsify: trim every filesystem and empty swap, so freed blocks stay out of the image.</param>
/// <param name="TreeDigest">output.tree-digest: hash the whole file tree for the manifest.</param>
/// <param name="RemoveBuildNoise">output.reproducible: remove what differs from build to build (<see cref="Reproducibility.BuildNoise"/>).</param>
public sealed record PlannedFinish(string Id, string Parent, bool CleanPackageCaches, bool Sparsify, bool TreeDigest, bool Cacheable, bool RemoveBuildNoise = false)
{
    public static PlannedFinish After(PlannedLayer last, bool cleanPackageCaches, bool sparsify, bool treeDigest, bool removeBuildNoise = false) =>
        new(StepId.Finish(last.Id, cleanPackageCaches, sparsify, treeDigest, removeBuildNoise), last.Id, cleanPackageCaches, sparsify, treeDigest,
            last.Cacheable, removeBuildNoise);
}

/// <summary>A run of steps that becomes one cached overlay on its parent (the previous layer, or the template).</summary>
/// <param name="Number">1-based.</param>
/// <param name="Parent">The previous layer's id, or the plan's base (template digest and size) for the first.</param>
/// <param name="Cacheable">False from the first layer with a volatile step on: such layers are built in every build and never stored.</param>
public sealed record PlannedLayer(int Number, string Parent, IReadOnlyList<PlannedStep> Steps, bool Cacheable = true)
{
    /// <summary>The layer's id: its last step's.</summary>
    public string Id => Steps[^1].Id.Hex;

    public bool UsesNetwork => Steps.Any(s => s.Network);

    public int FirstStep => Steps[0].Number;

    public int LastStep => Steps[^1].Number;

    public static IReadOnlyList<PlannedLayer> Group(string baseId, IReadOnlyList<PlannedStep> steps)
    {
        var layers = new List<PlannedLayer>();
        var current = new List<PlannedStep>();
        void Close()
        {
            var cacheable = (layers.Count == 0 || layers[^1].Cacheable) && current.All(s => !s.Volatile);
            layers.Add(new PlannedLayer(layers.Count + 1, layers.Count == 0 ? baseId : layers[^1].Id, current, cacheable));
            current = [];
        }
        foreach (var step in steps)
        {
            current.Add(step);
            if (step.Step.Kind.EndsLayer || step.Step.Checkpoint) Close();
        }
        if (current.Count > 0) Close();
        return layers;
    }
}

/// <summary>The template as the plan records it: as written, and its digest.</summary>
public sealed record PlannedTemplate(string Path, string FullPath, string Digest);

/// <summary>One step in execution order, with its content-addressed id.</summary>
/// <param name="Number">1-based position in execution order.</param>
/// <param name="Inputs">Host input files as written, with their sha256.</param>
/// <param name="Secrets">Names of the secrets the step reads ("env:ROOT_PASSWORD"), never values.</param>
/// <param name="Source">"recipe.yaml:12:5": where the step is written.</param>
/// <param name="Volatile">It reads a secret or makes up a random value: never taken from the cache (see <see cref="Steps.IStepKind.IsVolatile"/>).</param>
public sealed record PlannedStep(
    StepId Id,
    int Number,
    RecipeStep Step,
    JsonObject Options,
    IReadOnlyDictionary<string, string> Inputs,
    IReadOnlyList<string> Secrets,
    string Description,
    bool Network,
    bool Volatile = false)
{
    public string Kind => Step.Kind.Name;

    public string Source => Step.Span.ToString();
}
