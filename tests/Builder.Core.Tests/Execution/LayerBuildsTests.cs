using Builder.Execution;
using Builder.Recipes;
using Builder.Tests.Support;

namespace Builder.Tests.Execution;

/// <summary>The layers a run builds once for all its recipes, and the order in which their start is told.</summary>
public sealed class LayerBuildsTests : IDisposable
{
    private readonly RecipeFolder folder = new();
    private readonly LayerBuilds builds = new(jobs: 2);

    public void Dispose()
    {
        builds.Dispose();
        folder.Dispose();
    }

    private Recipe Recipe() => folder.Load("template: base.qcow2\nsteps: []\n");

    [Fact]
    public async Task The_start_is_announced_before_the_build_reports_anything_even_when_the_build_starts_at_once()
    {
        var said = new List<string>();
        var build = builds.GetOrStart("layer", Recipe(), () => { lock (said) said.Add("build"); return Task.CompletedTask; },
            startedBy => { Thread.Sleep(200); lock (said) said.Add($"announce {startedBy ?? "(this recipe)"}"); });
        await build;
        Assert.Equal(["announce (this recipe)", "build"], said);
    }

    [Fact]
    public async Task A_second_recipe_waits_for_the_build_the_first_started_and_is_told_whose_it_is()
    {
        var first = Recipe();
        var second = Recipe() with { Name = "second" };
        var runs = 0;
        var release = new TaskCompletionSource();
        var one = builds.GetOrStart("layer", first, async () => { Interlocked.Increment(ref runs); await release.Task; }, _ => { });
        string? told = "";
        var two = builds.GetOrStart("layer", second, () => { Interlocked.Increment(ref runs); return Task.CompletedTask; }, by => told = by);
        Assert.Equal(first.Name, told);
        Assert.False(two.IsCompleted);
        release.SetResult();
        await Task.WhenAll(one, two);
        Assert.Equal(1, runs);
    }
}
