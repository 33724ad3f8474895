using Builder.Schema;
using Builder.Steps;
using Builder.Tests.Support;

namespace Builder.Tests.Schema;

/// <summary>
/// The committed schema and README reference are what the step registry generates. To regenerate
/// both after changing a step: BUILDER_UPDATE_GENERATED=1 ./test --filter GeneratedFiles
/// (or ./builder schema > schemas/recipe.schema.json, and ./builder steps --markdown for the README).
/// </summary>
public sealed class GeneratedFilesTests
{
    private const string Regenerate = "regenerate with: BUILDER_UPDATE_GENERATED=1 ./test --filter GeneratedFiles";

    private static bool Updating => Environment.GetEnvironmentVariable("BUILDER_UPDATE_GENERATED") == "1";

    [Fact]
    public void Committed_schema_matches_the_step_registry()
    {
        var path = Repository.PathOf("schemas/recipe.schema.json");
        var generated = RecipeSchema.Generate(StepRegistry.BuiltIn);
        if (Updating) File.WriteAllText(path, generated);

        Assert.True(File.ReadAllText(path) == generated, $"schemas/recipe.schema.json is stale; {Regenerate}");
    }

    [Fact]
    public void Readme_step_reference_matches_the_step_registry()
    {
        var path = Repository.PathOf("README.md");
        var readme = File.ReadAllText(path);
        var regenerated = StepReference.Splice(readme, StepRegistry.BuiltIn);
        Assert.True(regenerated is not null, $"README.md lacks the markers {StepReference.BeginMarker} … {StepReference.EndMarker}");
        if (Updating) File.WriteAllText(path, regenerated);

        Assert.True(File.ReadAllText(path) == regenerated, $"README.md's step reference is stale; {Regenerate}");
    }

    [Fact]
    public void Readme_lists_every_step_kind()
    {
        var readme = File.ReadAllText(Repository.PathOf("README.md"));

        Assert.All(StepRegistry.BuiltIn.Kinds, kind => Assert.Contains($"#### `{kind.Name}`", readme));
    }
}
