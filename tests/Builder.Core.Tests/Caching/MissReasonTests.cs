using Builder.Caching;
using Builder.Planning;
using Builder.Storage;
using Builder.Tests.Support;

namespace Builder.Tests.Caching;

/// <summary>Why a layer is not taken from the cache, compared with the recipe's last build.</summary>
public sealed class MissReasonTests : IDisposable
{
    private const string Recipe = """
        name: web
        template: base.qcow2
        steps:
          - install: [nginx]
          - upload: { from: files/site.conf, to: /etc/nginx/conf.d/site.conf }
          - script: "echo hi"
          - write: { path: /etc/motd, content: "hello\n" }
        """;

    private readonly RecipeFolder folder = new();
    private readonly Planner planner = new(new FileDigests());
    private readonly BuildHistory history;

    public MissReasonTests()
    {
        folder.Write("files/site.conf", "server {}\n");
        history = new BuildHistory(new StoreLocation(Path.Combine(folder.Path, "store")));
    }

    public void Dispose() => folder.Dispose();

    private BuildPlan Plan(string yaml) => planner.Plan(folder.Load(yaml));

    /// <summary>The states after a build of <see cref="Recipe"/> cached all its layers, for a changed recipe.</summary>
    private IReadOnlyList<LayerState> After(string yaml)
    {
        var before = Plan(Recipe);
        history.Save(before);
        var cached = before.Layers.Select(l => l.Id).ToHashSet();
        return MissReasons.States(Plan(yaml), layer => cached.Contains(layer.Id), history.Load(folder.Load(yaml)));
    }

    [Fact]
    public void The_same_recipe_hits_every_layer()
    {
        Assert.All(After(Recipe), s => Assert.True(s.Hit));
    }

    [Fact]
    public void A_changed_last_step_misses_only_the_last_layer_and_names_the_option()
    {
        var states = After(Recipe.Replace("hello", "bye"));

        Assert.Equal([true, true, false], states.Select(s => s.Hit));
        Assert.Equal("step 4 (write): option 'content' changed", states[2].Reason);
    }

    [Fact]
    public void A_changed_input_file_misses_its_layer_and_every_later_one_and_no_earlier_one()
    {
        history.Save(Plan(Recipe));
        var cached = Plan(Recipe).Layers.Select(l => l.Id).ToHashSet();
        folder.Write("files/site.conf", "server { listen 8080; }\n");

        var states = MissReasons.States(Plan(Recipe), layer => cached.Contains(layer.Id), history.Load(folder.Load(Recipe)));

        Assert.Equal([true, false, false], states.Select(s => s.Hit));
        Assert.Equal("step 2 (upload): input file files/site.conf changed", states[1].Reason);
        Assert.Equal("it follows layer 2, which is rebuilt", states[2].Reason);
    }

    [Fact]
    public void A_new_template_digest_is_named()
    {
        var before = Plan(Recipe);
        history.Save(before);
        folder.Write("base.qcow2", "another template");

        var states = MissReasons.States(Plan(Recipe), _ => false, history.Load(folder.Load(Recipe)));

        Assert.StartsWith("the template's digest changed", states[0].Reason);
    }

    [Fact]
    public void A_first_build_says_so()
    {
        var states = MissReasons.States(Plan(Recipe), _ => false, history.Load(folder.Load(Recipe)));

        Assert.Equal("not built before", states[0].Reason);
        Assert.Equal("it follows layer 1, which is rebuilt", states[1].Reason);
    }
}
