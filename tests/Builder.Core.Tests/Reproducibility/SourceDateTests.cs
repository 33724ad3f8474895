using System.Diagnostics;
using System.Text.Json.Nodes;
using Builder.Diagnostics;
using Builder.Planning;
using Builder.Reproducibility;
using Builder.Tests.Support;

namespace Builder.Tests.Reproducibility;

/// <summary>The source date: the recipe's key, else SOURCE_DATE_EPOCH, else the recipe's last git commit, else none; the plan records it.</summary>
public sealed class SourceDateTests : IDisposable
{
    private const long CommitTime = 1_600_000_000;
    private const string Steps = "steps:\n  - hostname: web1\n";

    private readonly RecipeFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static SourceDateResolver Environment(string? value) =>
        new(name => name == SourceDateResolver.EnvironmentVariable ? value : null);

    [Fact]
    public async Task The_recipes_key_wins_over_the_environment_and_git()
    {
        CommitRecipe("template: base.qcow2\nsource-date-epoch: 1700000000\n" + Steps);
        var recipe = Load();

        var date = await Environment("1650000000").ResolveAsync(recipe, CancellationToken.None);

        Assert.Equal(new SourceDate(1_700_000_000, SourceDateOrigin.Recipe), date);
    }

    [Fact]
    public async Task The_environment_wins_over_git()
    {
        CommitRecipe("template: base.qcow2\n" + Steps);

        var date = await Environment("1650000000").ResolveAsync(Load(), CancellationToken.None);

        Assert.Equal(new SourceDate(1_650_000_000, SourceDateOrigin.Environment), date);
    }

    [Fact]
    public async Task Without_key_or_environment_the_last_commit_that_touched_the_recipe_gives_it()
    {
        CommitRecipe("template: base.qcow2\n" + Steps);

        var date = await Environment(null).ResolveAsync(Load(), CancellationToken.None);

        Assert.Equal(new SourceDate(CommitTime, SourceDateOrigin.Git), date);
    }

    [Fact]
    public async Task An_empty_environment_variable_counts_as_unset()
    {
        CommitRecipe("template: base.qcow2\n" + Steps);

        var date = await Environment("").ResolveAsync(Load(), CancellationToken.None);

        Assert.Equal(SourceDateOrigin.Git, date?.Origin);
    }

    [Fact]
    public async Task A_recipe_outside_any_git_work_tree_has_no_source_date()
    {
        folder.Write("recipe.yaml", "template: base.qcow2\n" + Steps);

        Assert.Null(await Environment(null).ResolveAsync(Load(), CancellationToken.None));
    }

    [Fact]
    public async Task A_recipe_no_commit_touched_has_no_source_date_even_in_a_work_tree()
    {
        CommitRecipe("template: base.qcow2\n" + Steps);
        folder.Write("other.yaml", "template: base.qcow2\n" + Steps);
        var other = new Builder.Recipes.RecipeLoader(Builder.Steps.StepRegistry.BuiltIn).Load(Path.Combine(folder.Path, "other.yaml")).Recipe!;

        Assert.Null(await Environment(null).ResolveAsync(other, CancellationToken.None));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData(" 1700000000")]
    public async Task A_malformed_environment_variable_is_an_error(string value)
    {
        folder.Write("recipe.yaml", "template: base.qcow2\n" + Steps);

        var error = await Assert.ThrowsAsync<InvalidSourceDateException>(() => Environment(value).ResolveAsync(Load(), CancellationToken.None));

        Assert.Contains($"SOURCE_DATE_EPOCH is '{value}'", error.Message);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("-1")]
    [InlineData("253402300800")]
    [InlineData("[1]")]
    public void A_recipe_key_that_is_not_whole_seconds_is_rejected_where_it_is_written(string value)
    {
        var result = folder.Parse($"template: base.qcow2\nsource-date-epoch: {value}\n" + Steps);

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(".source-date-epoch", error.Path);
        Assert.Equal(2, error.Span.Line);
        Assert.Contains(error.Code, new[] { DiagnosticCodes.InvalidValue, DiagnosticCodes.WrongType });
    }

    [Fact]
    public void The_plan_json_records_the_source_date_and_where_it_came_from()
    {
        var recipe = folder.Load("template: base.qcow2\n" + Steps);

        var json = PlanJson.ToJson(new Planner(new FileDigests()).Plan(recipe, new SourceDate(1_650_000_000, SourceDateOrigin.Git)));

        Assert.Equal(1_650_000_000, json["source-date-epoch"]!.GetValue<long>());
        Assert.Equal("git", json["source-date-from"]!.GetValue<string>());
    }

    [Fact]
    public void A_plan_without_a_source_date_says_so_and_names_no_origin()
    {
        var json = PlanJson.ToJson(new Planner(new FileDigests()).Plan(folder.Load("template: base.qcow2\n" + Steps)));

        Assert.True(json.ContainsKey("source-date-epoch"));
        Assert.Null(json["source-date-epoch"]);
        Assert.False(json.ContainsKey("source-date-from"));
    }

    [Fact]
    public void The_source_date_is_not_part_of_any_step_id_yet()
    {
        var recipe = folder.Load("template: base.qcow2\n" + Steps);
        var planner = new Planner(new FileDigests());

        var without = planner.Plan(recipe);
        var with = planner.Plan(recipe, new SourceDate(1_650_000_000, SourceDateOrigin.Environment));

        Assert.Equal(without.Steps.Select(s => s.Id), with.Steps.Select(s => s.Id));
        Assert.Equal(without.FinalId, with.FinalId);
    }

    private Builder.Recipes.Recipe Load()
    {
        var loaded = new Builder.Recipes.RecipeLoader(Builder.Steps.StepRegistry.BuiltIn).Load(Path.Combine(folder.Path, "recipe.yaml"));
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
        return loaded.Recipe!;
    }

    /// <summary>recipe.yaml committed in a new git repository, with a fixed committer date.</summary>
    private void CommitRecipe(string content)
    {
        folder.Write("recipe.yaml", content);
        Git("init", "-q");
        Git("add", "recipe.yaml");
        Git("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "recipe");
    }

    private void Git(params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = folder.Path, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["GIT_COMMITTER_DATE"] = $"@{CommitTime} +0000";
        start.Environment["GIT_AUTHOR_DATE"] = "@1500000000 +0000";
        using var git = Process.Start(start)!;
        var error = git.StandardError.ReadToEnd();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', arguments)}: {error}");
    }
}
