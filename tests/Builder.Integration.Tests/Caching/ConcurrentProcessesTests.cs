using System.Text.RegularExpressions;
using Builder.IntegrationTests.Pipeline;
using Builder.IntegrationTests.Templates;

namespace Builder.IntegrationTests.Caching;

/// <summary>Several `builder` processes at once on one store: each shared layer is built once, and the cache stays consistent.</summary>
[Collection(DebianTemplateCollection.Name)]
public sealed class ConcurrentProcessesTests(DebianTemplate debian) : IAsyncLifetime
{
    private LayerStoreCopy store = null!;

    public Task InitializeAsync()
    {
        store = new LayerStoreCopy(debian);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [Fact]
    public async Task Three_processes_on_overlapping_recipes_build_each_shared_layer_once_and_leave_a_consistent_cache()
    {
        var recipes = new[]
        {
            store.Recipe("a", "  - install: [jq]\n  - write: { path: /etc/role, content: \"a\\n\" }\n"),
            store.Recipe("b", "  - install: [jq]\n  - write: { path: /etc/role, content: \"b\\n\" }\n"),
            store.Recipe("c", "  - install: [jq]\n  - script: \"echo c > /etc/from-script\"\n  - write: { path: /etc/role, content: \"c\\n\" }\n"),
        };
        var environment = new Dictionary<string, string> { ["BUILDER_STORE"] = store.Store, ["BUILDER_BACKEND"] = "host" };

        var runs = recipes.Select(r => BuilderProcess.RunAsync(store.Folder, environment, "build", r)).ToList();
        var results = await Task.WhenAll(runs);

        Assert.All(results, r => Assert.True(r.Code == 0, r.Output + r.Error));
        var installs = results.Sum(r => Regex.Matches(r.Output, @"\(1/\d\) Installing").Count);
        Assert.Equal(1, installs);
        Assert.Equal(2, results.Count(r => r.Output.Contains("built by another builder process meanwhile") || r.Output.Contains(": cached")));
        foreach (var layer in store.Cache.List())
        {
            var (found, problem) = await store.Cache.FindAsync(layer.Id, CancellationToken.None);
            Assert.True(found is not null, problem?.Reason);
        }
        Assert.Equal(8, store.Cache.List().Count);   // 5 layers, and a finish per recipe
        Assert.Empty(Directory.EnumerateDirectories(store.Cache.Root, ".*"));
        foreach (var name in new[] { "a", "b", "c" })
            Assert.Equal(name + "\n", await store.TextAsync(Path.Combine(store.Folder, "out", name + ".qcow2"), "/etc/role"));
    }
}
