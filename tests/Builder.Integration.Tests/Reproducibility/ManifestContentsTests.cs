using System.Diagnostics;
using System.Text.Json.Nodes;
using Builder.IntegrationTests.Caching;
using Builder.Execution;
using Builder.IntegrationTests.Guestfs;
using Builder.IntegrationTests.Templates;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Reproducibility;

/// <summary>
/// The manifest beside a real debian-12 build (host backend, a store of its own): every field, the
/// output's sha256, the installed packages and the tree digest, also from a cached finish; the
/// tree digest tells builds apart exactly when their trees differ, and is the same on both backends.
/// </summary>
[Collection(DebianTemplateCollection.Name)]
public sealed class ManifestContentsTests(DebianTemplate debian, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Steps = """
          - write: { path: /etc/motd, content: "first\n" }
          - mkdir: { path: /srv/app, mode: "0750" }
        """;

    private LayerStoreCopy store = null!;

    public Task InitializeAsync()
    {
        store = new LayerStoreCopy(debian);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    /// <summary>The output option that puts the tree digest in the manifest (off by default: it reads every file).</summary>
    private const string WithTreeDigest = ", tree-digest: true";

    private static JsonObject ManifestOf(BuildResult result) =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(result.OutputPath! + ".manifest.json"))!;

    [Fact]
    public async Task The_manifest_has_every_field_the_outputs_sha256_and_the_installed_packages()
    {
        var recipe = store.Write("recipes/web.yaml",
            $"name: web\ntemplate: debian-12\nsource-date-epoch: 1700000000\noutput: {{ path: ../out/web.qcow2, tree-digest: true }}\nsteps:\n{Steps}");

        var (result, _) = await store.BuildAsync(recipe);

        var manifest = ManifestOf(result);
        Assert.Equal(
            ["recipe", "template", "size", "format", "backend", "id", "steps", "source-date-epoch", "source-date-from", "packages-from", "packages",
                "tree-digest", "output-sha256"],
            manifest.Select(p => p.Key));
        Assert.Equal("web", (string)manifest["recipe"]!);
        Assert.Equal(result.Plan!.Template.Digest, (string)manifest["template"]!["digest"]!);
        Assert.Equal("host", (string)manifest["backend"]!);
        Assert.Equal(result.Plan.FinalId, (string)manifest["id"]!);
        Assert.Equal(result.Plan.Steps.Select(s => s.Id.Hex), manifest["steps"]!.AsArray().Select(s => (string)s!["id"]!));
        Assert.Equal(1_700_000_000, (long)manifest["source-date-epoch"]!);
        Assert.Equal("recipe", (string)manifest["source-date-from"]!);
        Assert.Equal("sha256:" + Tools.Sha256(result.OutputPath!), (string)manifest["output-sha256"]!);
        Assert.Matches("^sha256:[0-9a-f]{64}$", (string)manifest["tree-digest"]!);

        Assert.Equal("dpkg", (string)manifest["packages-from"]!);
        var packages = manifest["packages"]!.AsArray().Select(p => (Name: (string)p!["name"]!, Version: (string)p["version"]!, Arch: (string)p["arch"]!)).ToList();
        var baseFiles = Assert.Single(packages, p => p.Name == "base-files");
        Assert.Matches(@"^12\.", baseFiles.Version);
        Assert.Equal("amd64", baseFiles.Arch);
        Assert.Contains(packages, p => p.Name == "linux-image-amd64");
        Assert.Equal(packages.Select(p => p.Name).Order(StringComparer.Ordinal), packages.Select(p => p.Name));
        output.WriteLine($"{packages.Count} packages");
    }

    [Fact]
    public async Task Without_tree_digest_the_finish_reads_only_the_package_list()
    {
        var (result, events) = await store.BuildAsync(store.Recipe("plain", Steps));

        var manifest = ManifestOf(result);
        Assert.Null(manifest["tree-digest"]);
        Assert.Contains(manifest["packages"]!.AsArray(), p => (string)p!["name"]! == "base-files");
        Assert.Contains(events, e => e is PhaseStarted { Phase: "contents", Description: "Listing installed packages" });
    }

    [Fact]
    public async Task A_cached_rebuild_gives_the_same_manifest_from_the_cached_finish()
    {
        var recipe = store.Recipe("web", Steps, WithTreeDigest);
        var (first, cold) = await store.BuildAsync(recipe);

        var (second, warm) = await store.BuildAsync(recipe);

        Assert.Contains(cold, e => e is PhaseStarted { Phase: "contents" });
        Assert.DoesNotContain(warm, e => e is PhaseStarted { Phase: "contents" });
        Assert.Equal(["hit"], LayerStoreCopy.LayerStates(warm));
        var (before, after) = (ManifestOf(first), ManifestOf(second));
        Assert.Equal(before["packages"]!.ToJsonString(), after["packages"]!.ToJsonString());
        Assert.Equal((string)before["tree-digest"]!, (string)after["tree-digest"]!);
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
    }

    [Fact]
    public async Task One_written_file_changes_the_tree_digest_and_the_same_recipe_built_anew_gives_the_same_one()
    {
        var (first, _) = await store.BuildAsync(store.Recipe("web", Steps, WithTreeDigest));
        var (other, _) = await store.BuildAsync(store.Recipe("other", Steps.Replace("first", "other"), WithTreeDigest));
        await using var fresh = new LayerStoreCopy(debian);
        var (again, events) = await fresh.BuildAsync(fresh.Recipe("web", Steps, WithTreeDigest));

        Assert.All(LayerStoreCopy.LayerStates(events), state => Assert.Equal("miss", state));
        Assert.NotEqual((string)ManifestOf(first)["tree-digest"]!, (string)ManifestOf(other)["tree-digest"]!);
        Assert.Equal((string)ManifestOf(first)["tree-digest"]!, (string)ManifestOf(again)["tree-digest"]!);
        Assert.Equal(ManifestOf(first)["packages"]!.ToJsonString(), ManifestOf(again)["packages"]!.ToJsonString());
    }

    [Fact]
    public async Task Both_backends_give_the_same_tree_digest_and_packages_and_say_what_listing_the_tree_costs()
    {
        var recipe = store.Recipe("web", Steps, WithTreeDigest);
        var manifests = new Dictionary<BackendChoice, JsonObject>();
        foreach (var backend in new[] { BackendChoice.Host, BackendChoice.Appliance })
        {
            var stopwatch = Stopwatch.StartNew();
            var (result, events) = await store.BuildAsync(recipe, backend);
            manifests[backend] = ManifestOf(result);
            var phases = events.OfType<PhaseCompleted>().GroupBy(p => p.Phase).ToDictionary(g => g.Key, g => g.Sum(p => p.Elapsed.TotalSeconds));
            output.WriteLine($"{backend}: build {stopwatch.Elapsed.TotalSeconds:0.0} s, finish {phases.GetValueOrDefault("finish"):0.0} s, " +
                             $"contents {phases.GetValueOrDefault("contents"):0.0} s, checksum {phases.GetValueOrDefault("checksum"):0.0} s");
        }

        Assert.Equal((string)manifests[BackendChoice.Host]["tree-digest"]!, (string)manifests[BackendChoice.Appliance]["tree-digest"]!);
        Assert.Equal(manifests[BackendChoice.Host]["packages"]!.ToJsonString(), manifests[BackendChoice.Appliance]["packages"]!.ToJsonString());
    }
}
