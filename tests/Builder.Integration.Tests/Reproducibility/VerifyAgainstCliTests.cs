using System.Text.Json.Nodes;
using Builder.IntegrationTests.Caching;
using Builder.IntegrationTests.Guestfs;
using Builder.IntegrationTests.Pipeline;
using Builder.IntegrationTests.Templates;

namespace Builder.IntegrationTests.Reproducibility;

/// <summary>
/// `builder verify --against` as a process, on a file-only recipe on the shared debian-12 template
/// (host backend, a store of its own): built once with `builder build`, then verified against that
/// build's manifest, as it is and with its output-sha256 altered.
/// </summary>
[Collection(DebianTemplateCollection.Name)]
public sealed class VerifyAgainstCliTests(DebianTemplate debian) : IAsyncLifetime
{
    private const string Manifest = "out/motd.qcow2.manifest.json";

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

    /// <summary>Builds recipes/motd.yaml into out/motd.qcow2 and returns its manifest's output-sha256, checked against the image's bytes.</summary>
    private async Task<string> BuildOnceAsync()
    {
        store.Recipe("motd", "  - write: { path: /etc/motd, content: \"verified\\n\" }\n");
        var (code, _, error) = await Builder("build", "recipes/motd.yaml");
        Assert.True(code == 0, error);
        var recorded = OutputSha256(Path.Combine(store.Folder, Manifest));
        Assert.Equal("sha256:" + Tools.Sha256(Path.Combine(store.Folder, "out", "motd.qcow2")), recorded);
        return recorded;
    }

    private static string OutputSha256(string manifest) => (string)JsonNode.Parse(File.ReadAllText(manifest))!["output-sha256"]!;

    /// <summary>The store's scratch folders (verify builds in one) and the layers in its cache.</summary>
    private (IReadOnlyList<string> Scratch, IReadOnlyList<string> Layers) StoreState()
    {
        var tmp = Path.Combine(store.Store, "tmp");
        return (Directory.Exists(tmp) ? Directory.EnumerateFileSystemEntries(tmp).ToList() : [],
            store.Cache.List().Select(l => l.Id).Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task Against_its_own_earlier_build_the_exit_code_and_verdict_agree_with_the_two_sha256s()
    {
        var earlier = await BuildOnceAsync();
        var before = StoreState();

        var (code, output, error) = await Builder("verify", "recipes/motd.yaml", "--against", Manifest);

        // The verdict line names this build's sha256; the earlier one is the manifest's, read above.
        var verdict = output.Split('\n')[0];
        var now = verdict.StartsWith("reproducible: ", StringComparison.Ordinal) ? verdict.Split(' ')[^1] : verdict.Split("this build ")[^1];
        Assert.Matches("^sha256:[0-9a-f]{64}$", now);
        if (now == earlier)
        {
            Assert.True(code == 0, error);
            Assert.Equal($"reproducible: motd {earlier}\n", output);
        }
        else
        {
            Assert.True(code == 1, error);
            Assert.Equal($"not reproducible: motd: {Manifest} {earlier}, this build {now}", verdict);
            Assert.Contains($"~ output-sha256: {earlier}->{now}\n", output);
        }
        // The build ran from an empty cache of its own: no layer of the earlier build was used, none was added, and its scratch is gone.
        Assert.Contains("building, not built before", error);
        Assert.DoesNotContain(": cached", error);
        var after = StoreState();
        Assert.Equal(before.Layers, after.Layers);
        Assert.Empty(after.Scratch);
    }

    [Fact]
    public async Task Against_a_manifest_with_another_output_sha256_it_exits_1_and_names_the_field()
    {
        await BuildOnceAsync();
        var altered = JsonNode.Parse(File.ReadAllText(Path.Combine(store.Folder, Manifest)))!.AsObject();
        altered["output-sha256"] = "sha256:" + new string('0', 64);
        store.Write("altered.manifest.json", altered.ToJsonString());

        var (code, output, error) = await Builder("verify", "recipes/motd.yaml", "--against", "altered.manifest.json");

        Assert.True(code == 1, error);
        Assert.StartsWith($"not reproducible: motd: altered.manifest.json sha256:{new string('0', 64)}, this build sha256:", output);
        Assert.Contains($"~ output-sha256: sha256:{new string('0', 64)}->sha256:", output);
        Assert.Empty(StoreState().Scratch);
    }
}
