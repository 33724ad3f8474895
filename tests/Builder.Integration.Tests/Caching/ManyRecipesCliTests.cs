using System.Text.Json.Nodes;
using Builder.IntegrationTests.Pipeline;
using Builder.IntegrationTests.Templates;

namespace Builder.IntegrationTests.Caching;

/// <summary>The `builder` command on a folder of recipes: plan, build as one graph, results, exit codes and the cache commands.</summary>
[Collection(DebianTemplateCollection.Name)]
public sealed class ManyRecipesCliTests(DebianTemplate debian) : IAsyncLifetime
{
    private LayerStoreCopy store = null!;
    private Dictionary<string, string> environment = null!;

    public Task InitializeAsync()
    {
        store = new LayerStoreCopy(debian);
        environment = new Dictionary<string, string> { ["BUILDER_STORE"] = store.Store, ["BUILDER_BACKEND"] = "host" };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    private Task<(int Code, string Output, string Error)> Builder(params string[] arguments) =>
        BuilderProcess.RunAsync(store.Folder, environment, arguments);

    private static List<JsonObject> JsonLines(string output) =>
        output.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    [Fact]
    public async Task A_folder_is_planned_and_built_as_one_graph_and_a_failing_recipe_does_not_stop_the_others()
    {
        store.Recipe("a", "  - install: [jq]\n  - write: { path: /etc/role, content: \"a\\n\" }\n");
        store.Recipe("b", "  - install: [jq]\n  - write: { path: /etc/role, content: \"b\\n\" }\n");
        store.Recipe("c", "  - install: [jq]\n  - script: \"exit 3\"\n");

        var plan = await Builder("plan", "recipes/", "--json");
        var build = await Builder("build", "recipes/", "--json", "-j", "2");
        var again = await Builder("plan", "recipes/a.yaml", "--json");

        Assert.Equal(0, plan.Code);
        var planned = JsonNode.Parse(plan.Output)!;
        Assert.Equal(3, planned["recipes"]!.AsArray().Count);
        Assert.All(planned["recipes"]!.AsArray().SelectMany(r => r!["steps"]!.AsArray()), s => Assert.Equal("miss", (string?)s!["cache"]));
        var shared = Assert.Single(planned["shared"]!.AsArray());
        Assert.Equal(["a", "b", "c"], shared!["recipes"]!.AsArray().Select(r => (string)r!));

        Assert.Equal(1, build.Code);
        var results = JsonLines(build.Output).Where(e => (string?)e["event"] == "result").ToDictionary(e => (string)e["recipe"]!, e => (string)e["outcome"]!);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "succeeded", ["b"] = "succeeded", ["c"] = "failed" }, results);
        Assert.Equal(1, JsonLines(build.Output).Count(e => (string?)e["event"] == "step-started" && (string?)e["kind"] == "install"));
        Assert.All(JsonLines(build.Output).Where(e => (string?)e["event"] == "step-started"), e => Assert.NotNull((string?)e["recipe"]));
        Assert.Contains("exited with code 3", build.Error);
        Assert.Equal("a\n", await store.TextAsync(Path.Combine(store.Folder, "out", "a.qcow2"), "/etc/role"));
        Assert.Equal("b\n", await store.TextAsync(Path.Combine(store.Folder, "out", "b.qcow2"), "/etc/role"));
        Assert.False(File.Exists(Path.Combine(store.Folder, "out", "c.qcow2")));

        Assert.Equal(0, again.Code);
        Assert.All(JsonNode.Parse(again.Output)!["steps"]!.AsArray(), s => Assert.Equal("hit", (string?)s!["cache"]));
    }

    [Fact]
    public async Task Cache_commands_list_measure_and_prune_the_layers()
    {
        store.Recipe("a", "  - install: [jq]\n  - write: { path: /etc/role, content: \"a\\n\" }\n");
        Assert.Equal(0, (await Builder("build", "recipes/a.yaml")).Code);
        var layers = store.Cache.List();

        var list = await Builder("cache", "ls");
        var keepRecent = await Builder("cache", "prune", "--older-than", "1d");
        var badDuration = await Builder("cache", "prune", "--older-than", "soon");
        var prune = await Builder("cache", "prune");
        var usage = await Builder("cache", "du");

        Assert.Equal(3, layers.Count);   // install, write, finish
        Assert.Equal(0, list.Code);
        Assert.All(layers, l => Assert.Contains(l.Id[..12], list.Output));
        Assert.Contains("0 layers removed", keepRecent.Output);
        Assert.Equal(2, badDuration.Code);
        Assert.Contains("3 layers removed", prune.Output);
        Assert.Empty(store.Cache.List());
        Assert.Contains("0 layers  total", usage.Output);
    }
}
