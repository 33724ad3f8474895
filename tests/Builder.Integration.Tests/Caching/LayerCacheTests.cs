using Builder.Caching;
using Builder.Execution;
using Builder.IntegrationTests.Guestfs;
using Builder.IntegrationTests.Templates;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.IntegrationTests.Caching;

/// <summary>
/// The layer cache on real builds (host backend, debian-12, the Debian mirror): what a rebuild
/// replays, read from its events and checked in its image; a corrupt layer; shared layers; pruning.
/// </summary>
[Collection(DebianTemplateCollection.Name)]
public sealed class LayerCacheTests(DebianTemplate debian) : IAsyncLifetime
{
    private const string Steps = """
          - install: [jq]
          - upload: { from: files/app.conf, to: /etc/app.conf }
          - script: "cat /etc/app.conf > /root/seen-by-script"
          - write: { path: /etc/motd, content: "first\n" }
        """;

    private LayerStoreCopy store = null!;

    public Task InitializeAsync()
    {
        store = new LayerStoreCopy(debian);
        store.Write("recipes/files/app.conf", "port=80\n");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [Fact]
    public async Task A_changed_last_step_replays_only_the_last_layer()
    {
        var templateSha = Tools.Sha256(store.TemplateImage);
        var recipe = store.Recipe("web", Steps);
        var (first, cold) = await store.BuildAsync(recipe);
        store.Recipe("web", Steps.Replace("first", "second"));

        var (second, warm) = await store.BuildAsync(recipe);

        Assert.Equal(["miss", "miss", "miss"], LayerStoreCopy.LayerStates(cold));
        Assert.Equal([1, 2, 3, 4], LayerStoreCopy.StepsRun(cold));
        Assert.Equal(["hit", "hit", "miss"], LayerStoreCopy.LayerStates(warm));
        Assert.Equal([4], LayerStoreCopy.StepsRun(warm));
        Assert.Equal("step 4 (write): option 'content' changed", warm.OfType<LayerStarted>().Last().Reason);
        Assert.Equal("second\n", await store.TextAsync(second.OutputPath!, "/etc/motd"));
        Assert.Equal("port=80\n", await store.TextAsync(second.OutputPath!, "/root/seen-by-script"));
        Assert.True(await store.ReadAsync(second.OutputPath!, async g => await g.LstatAsync("/usr/bin/jq") is not null));
        Assert.Equal(templateSha, Tools.Sha256(store.TemplateImage));
        _ = first;
    }

    [Fact]
    public async Task On_the_appliance_the_layers_to_make_share_one_launch_and_each_is_cached()
    {
        var recipe = store.Recipe("web", Steps);

        var (cold, coldEvents) = await store.BuildAsync(recipe, BackendChoice.Appliance);
        store.Recipe("web", Steps.Replace("first", "second"));
        var (warm, warmEvents) = await store.BuildAsync(recipe, BackendChoice.Appliance);

        Assert.Single(coldEvents.OfType<PhaseStarted>(), p => p.Phase == "launch");
        Assert.Equal(["miss", "miss", "miss"], LayerStoreCopy.LayerStates(coldEvents));
        foreach (var id in cold.Plan!.Layers.Select(l => l.Id).Append(cold.Plan.Finish!.Id))
        {
            var (found, problem) = await store.ApplianceCache.FindAsync(id, CancellationToken.None);
            Assert.True(found is not null, problem?.Reason ?? $"layer {id} is not cached");
        }
        Assert.Equal(["hit", "hit", "miss"], LayerStoreCopy.LayerStates(warmEvents));
        Assert.Equal([4], LayerStoreCopy.StepsRun(warmEvents));
        Assert.Single(warmEvents.OfType<PhaseStarted>(), p => p.Phase == "launch");
        Assert.Equal("second\n", await store.TextAsync(warm.OutputPath!, "/etc/motd"));
        Assert.Equal("port=80\n", await store.TextAsync(warm.OutputPath!, "/root/seen-by-script"));
        Assert.True(await store.ReadAsync(warm.OutputPath!, async g => await g.LstatAsync("/usr/bin/jq") is not null));
        Assert.Equal("", await store.TextAsync(warm.OutputPath!, "/etc/machine-id"));
    }

    [Fact]
    public async Task A_changed_uploaded_file_invalidates_its_layer_and_every_later_one_and_no_earlier_one()
    {
        var recipe = store.Recipe("web", Steps);
        await store.BuildAsync(recipe);
        store.Write("recipes/files/app.conf", "port=8080\n");

        var (result, events) = await store.BuildAsync(recipe);

        Assert.Equal(["hit", "miss", "miss"], LayerStoreCopy.LayerStates(events));
        Assert.Equal([2, 3, 4], LayerStoreCopy.StepsRun(events));
        Assert.Equal("step 2 (upload): input file files/app.conf changed", events.OfType<LayerStarted>().ElementAt(1).Reason);
        Assert.Equal("port=8080\n", await store.TextAsync(result.OutputPath!, "/root/seen-by-script"));
    }

    [Fact]
    public async Task A_truncated_layer_is_detected_discarded_and_rebuilt_never_used()
    {
        var recipe = store.Recipe("web", Steps);
        var (first, _) = await store.BuildAsync(recipe);
        var layer = first.Plan!.Layers[0];
        var overlay = store.Cache.OverlayOf(layer.Id);
        File.SetUnixFileMode(overlay, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using (var stream = new FileStream(overlay, FileMode.Open)) stream.SetLength(stream.Length / 2);

        var (second, events) = await store.BuildAsync(recipe);

        Assert.Contains(events.OfType<Notice>(), n => n.Message.Contains($"cached layer 1 ({layer.Id[..12]}) was unusable"));
        Assert.Equal(["miss", "miss", "miss"], LayerStoreCopy.LayerStates(events));
        Assert.StartsWith("the cached layer was unusable (its overlay is", events.OfType<LayerStarted>().First().Reason);
        Assert.Equal([1, 2, 3, 4], LayerStoreCopy.StepsRun(events));
        Assert.True(await store.ReadAsync(second.OutputPath!, async g => await g.LstatAsync("/usr/bin/jq") is not null));
        Assert.Equal("port=80\n", await store.TextAsync(second.OutputPath!, "/root/seen-by-script"));
        var (rebuilt, problem) = await store.Cache.FindAsync(layer.Id, CancellationToken.None);
        Assert.Null(problem);
        Assert.NotNull(rebuilt);
    }

    [Fact]
    public async Task Two_recipes_sharing_an_install_build_the_shared_layer_once_in_one_run()
    {
        var web = store.Recipe("web", "  - install: [jq]\n  - write: { path: /etc/role, content: \"web\\n\" }\n");
        var db = store.Recipe("db", "  - install: [jq]\n  - write: { path: /etc/role, content: \"db\\n\" }\n");

        var (results, events) = await store.BuildAllAsync(web, db);

        Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.Message));
        var installs = events.Values.SelectMany(e => e.OfType<StepStarted>()).Count(s => s.Kind == "install");
        Assert.Equal(1, installs);
        Assert.Single(events.Values, e => e.OfType<LayerStarted>().Any(l => l.Number == 1 && l.BuiltBy is not null));
        Assert.Equal("web\n", await store.TextAsync(results[0].OutputPath!, "/etc/role"));
        Assert.Equal("db\n", await store.TextAsync(results[1].OutputPath!, "/etc/role"));
        foreach (var result in results)
            Assert.True(await store.ReadAsync(result.OutputPath!, async g => await g.LstatAsync("/usr/bin/jq") is not null));
    }

    [Fact]
    public async Task Prune_removes_layers_least_recently_used_first_and_never_one_a_build_holds()
    {
        var web = store.Recipe("web", Steps);
        var (built, _) = await store.BuildAsync(web);
        var other = store.Recipe("other", "  - script: \"echo other > /etc/other\"\n  - write: { path: /etc/x, content: \"x\\n\" }\n");
        await store.BuildAsync(other);
        // What a running build of web holds: its layers and its finish.
        var held = built.Plan!.Layers.Select(l => l.Id).Append(built.Plan.Finish!.Id).ToList();
        var before = store.Cache.List().Select(l => l.Id).ToHashSet();

        IReadOnlyList<string> after;
        using (store.Cache.Use(held[^1]))
        {
            var result = store.Services.GetRequiredService<LayerPruner>().Prune(olderThan: null, maxSize: null);
            after = store.Cache.List().Select(l => l.Id).ToList();
            Assert.Contains(result.InUse, l => held.Contains(l.Id));
        }

        Assert.Equal(7, before.Count);
        Assert.Equal(held.Order(), after.Order());
        var remaining = store.Services.GetRequiredService<LayerPruner>().Prune(olderThan: null, maxSize: null);
        Assert.Equal(4, remaining.Removed.Count);
        Assert.Empty(store.Cache.List());
    }

    [Fact]
    public async Task A_thin_output_is_a_small_overlay_on_the_template_with_a_relative_path()
    {
        var recipe = store.Recipe("thin", Steps, ", backing: template, backing-path: relative ");

        var (result, _) = await store.BuildAsync(recipe);

        var info = Tools.Run("qemu-img", "info", "--output=json", result.OutputPath!);
        var json = System.Text.Json.Nodes.JsonNode.Parse(info)!;
        var backing = (string)json["backing-filename"]!;
        Assert.False(Path.IsPathRooted(backing));
        Assert.Equal(Path.GetFullPath(store.TemplateImage),
            Path.GetFullPath(Path.Combine(Path.GetDirectoryName(result.OutputPath!)!, backing)));
        Assert.True(new FileInfo(result.OutputPath!).Length < 200L << 20, $"{new FileInfo(result.OutputPath!).Length} bytes");
        Assert.Equal("first\n", await store.TextAsync(result.OutputPath!, "/etc/motd"));
        Assert.True(await store.ReadAsync(result.OutputPath!, async g => await g.LstatAsync("/usr/bin/jq") is not null));
    }

    [Fact]
    public async Task The_finish_leaves_no_machine_identity_and_new_host_keys_are_made_at_first_boot()
    {
        var recipe = store.Recipe("ssh", "  - install: [openssh-server]\n");

        var (result, _) = await store.BuildAsync(recipe);

        // The install's layer may hold keys (another recipe may build on it); the finish, and so every image, does not.
        Assert.NotEmpty(await store.ReadAsync(store.Cache.OverlayOf(result.Plan!.Layers[0].Id), g => g.GlobAsync("/etc/ssh/ssh_host_*").AsTask()));
        foreach (var image in new[] { result.OutputPath!, store.Cache.OverlayOf(result.Plan!.Finish!.Id) })
        {
            Assert.Empty(await store.ReadAsync(image, g => g.GlobAsync("/etc/ssh/ssh_host_*").AsTask()));
            Assert.Equal("", await store.TextAsync(image, "/etc/machine-id"));
            Assert.Contains("ssh-keygen -A", await store.TextAsync(image, "/etc/systemd/system/builder-ssh-host-keys.service"));
            Assert.True(await store.ReadAsync(image, async g =>
                await g.LstatAsync("/etc/systemd/system/multi-user.target.wants/builder-ssh-host-keys.service") is not null));
        }
    }
}
