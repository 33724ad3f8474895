using Builder.Caching;
using Builder.Planning;
using Builder.Tests.Support;

namespace Builder.Tests.Planning;

/// <summary>How the planner groups steps into cached layers, and how a plan explains cache misses.</summary>
public sealed class LayerTests : IDisposable
{
    private const string Recipe = """
        name: web
        template: base.qcow2
        steps:
          - write: { path: /etc/motd, content: "hello\n" }
          - install: [nginx]
          - upload: { from: files/site.conf, to: /etc/nginx/conf.d/site.conf }
          - mkdir: /srv/www
          - script: "echo hi > /srv/www/index.html"
          - hostname: web1
          - chmod: { path: /srv/www, mode: "0755" }
        """;

    private readonly RecipeFolder folder = new();
    private readonly Planner planner = new(new FileDigests());

    public LayerTests() => folder.Write("files/site.conf", "server {}\n");

    public void Dispose() => folder.Dispose();

    private BuildPlan Plan(string yaml) => planner.Plan(folder.Load(yaml));

    private static int[][] Steps(BuildPlan plan) => plan.Layers.Select(l => l.Steps.Select(s => s.Number).ToArray()).ToArray();

    [Fact]
    public void A_layer_ends_after_each_expensive_step_and_cheap_steps_join_the_next_one()
    {
        var plan = Plan(Recipe);

        Assert.Equal([[1, 2], [3, 4, 5], [6, 7]], Steps(plan));
        Assert.Equal(plan.BaseId, plan.Layers[0].Parent);
        Assert.Equal(plan.Layers[0].Id, plan.Layers[1].Parent);
        Assert.Equal(plan.Steps[4].Id.Hex, plan.Layers[1].Id);
        Assert.All(plan.Layers, l => Assert.True(l.Cacheable));
    }

    [Fact]
    public void Checkpoint_ends_a_layer_after_a_cheap_step()
    {
        var plan = Plan(Recipe.Replace("- mkdir: /srv/www", "- mkdir: /srv/www\n    checkpoint: true"));

        Assert.Equal([[1, 2], [3, 4], [5], [6, 7]], Steps(plan));
    }

    [Fact]
    public void A_step_that_reads_a_secret_and_every_layer_after_it_is_never_cached()
    {
        var plan = Plan(Recipe.Replace("- mkdir: /srv/www",
            "- script: { content: \"curl -H $TOKEN example.com\", env: { TOKEN: { from-env: CI_TOKEN } } }"));

        Assert.Equal([true, false, false, false], plan.Layers.Select(l => l.Cacheable));
        Assert.True(plan.Steps[3].Volatile);
    }

    [Fact]
    public void A_random_password_is_never_cached_and_runs_last()
    {
        var plan = Plan(Recipe + "\n  - password: { user: root, random: true }");

        Assert.Equal("password", plan.Layers[^1].Steps[^1].Kind);
        Assert.False(plan.Layers[^1].Cacheable);
        Assert.True(plan.Layers[^2].Cacheable);
    }

    [Fact]
    public void Plan_json_gives_every_step_its_layer_and_cache_state()
    {
        var plan = Plan(Recipe);
        var states = MissReasons.States(plan, layer => layer.Number == 1, null);
        var json = PlanJson.ToJson(plan, null, states);

        Assert.Equal([1, 1, 2, 2, 2, 3, 3], json["steps"]!.AsArray().Select(s => (int)s!["layer"]!));
        Assert.Equal(["hit", "hit", "miss", "miss", "miss", "miss", "miss"], json["steps"]!.AsArray().Select(s => (string)s!["cache"]!));
        Assert.Equal("not built before", (string?)json["layers"]![1]!["reason"]);
    }

    [Fact]
    public void A_rebuild_resumes_from_the_deepest_cached_layer_and_never_skips_a_missing_one()
    {
        var plan = Plan(Recipe);

        var states = MissReasons.States(plan, layer => layer.Number != 2, null);

        Assert.Equal([true, false, false], states.Select(s => s.Hit));
    }
}
