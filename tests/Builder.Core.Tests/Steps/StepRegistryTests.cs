using System.Text.RegularExpressions;
using Builder.Steps;
using Builder.Tests.Support;

namespace Builder.Tests.Steps;

public sealed partial class StepRegistryTests
{
    public static TheoryData<string> Kinds() => new(StepRegistry.BuiltIn.Kinds.Select(k => k.Name));

    [Fact]
    public void Step_names_are_unique_kebab_case()
    {
        var names = StepRegistry.BuiltIn.Kinds.Select(k => k.Name).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, name => Assert.Matches(KebabCase(), name));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Summary_is_one_line_without_a_trailing_period(string name)
    {
        var summary = StepRegistry.BuiltIn.Find(name)!.Summary;

        Assert.False(string.IsNullOrWhiteSpace(summary));
        Assert.DoesNotContain('\n', summary);
        Assert.False(summary.EndsWith('.'), $"'{summary}' ends with a period");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_option_is_documented_and_kebab_case(string name)
    {
        var kind = StepRegistry.BuiltIn.Find(name)!;

        Assert.NotEmpty(kind.Options.Fields);
        Assert.All(kind.Options.Fields, field =>
        {
            Assert.Matches(KebabCase(), field.Name);
            Assert.False(field.Description.EndsWith('.'), $"{name}.{field.Name}: '{field.Description}' ends with a period");
        });
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Example_is_a_valid_step_of_its_own_kind(string name)
    {
        using var folder = new RecipeFolder();
        Examples.WriteInputs(folder);
        var kind = StepRegistry.BuiltIn.Find(name)!;

        var recipe = folder.Load(Examples.Recipe(kind.Example));

        Assert.Equal(name, Assert.Single(recipe.Steps).Kind.Name);
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    private static partial Regex KebabCase();
}
