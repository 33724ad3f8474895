using System.Text.Json;
using Builder.Schema;
using Builder.Steps;
using Builder.Tests.Support;
using Json.Schema;

namespace Builder.Tests.Schema;

public sealed class RecipeSchemaTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(RecipeSchema.Generate(StepRegistry.BuiltIn));

    public static TheoryData<string> Kinds() => new(StepRegistry.BuiltIn.Kinds.Select(k => k.Name));

    private static EvaluationResults Evaluate(string yaml) =>
        Schema.Evaluate(JsonSerializer.SerializeToElement(YamlToJson.Convert(yaml)), new EvaluationOptions { OutputFormat = OutputFormat.List });

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_step_example_is_valid_under_the_schema(string name)
    {
        var example = StepRegistry.BuiltIn.Find(name)!.Example;

        var result = Evaluate(Examples.Recipe(example));

        Assert.True(result.IsValid, $"{name}: {example}");
    }

    [Fact]
    public void The_readme_recipe_is_valid_under_the_schema()
    {
        Assert.True(Evaluate(File.ReadAllText(Repository.PathOf("recipes/hello.yaml"))).IsValid);
    }

    [Theory]
    [InlineData("template: a\nsteps:\n  - wrte: { path: /x, content: y }\n")]
    [InlineData("template: a\nsteps:\n  - write: { path: /x, content: y, colour: blue }\n")]
    [InlineData("template: a\nsteps:\n  - write: { path: /x }\n")]
    [InlineData("template: a\nsteps:\n  - password: { user: root, random: true, disabled: true }\n")]
    [InlineData("template: a\nsteps:\n  - chmod: { path: /x, mode: \"999\" }\n")]
    [InlineData("template: a\noutput: { format: vhd }\n")]
    [InlineData("steps: []\n")]
    public void Rejects_what_the_loader_rejects(string yaml)
    {
        Assert.False(Evaluate(yaml).IsValid);
    }
}
