using System.Text.Json.Nodes;
using Builder.Tests.Support;

namespace Builder.Tests.Reproducibility;

/// <summary>`builder diff` on manifests and on bad input, in-process (images are compared by the integration suite).</summary>
public sealed class DiffCommandTests : IDisposable
{
    private readonly InProcessCli cli = new();

    private RecipeFolder folder => cli.Folder;

    public void Dispose() => cli.Dispose();

    private Task<(int Code, string Output, string Error)> Run(params string[] args) => cli.Run(args);

    private string Write(string name, JsonObject manifest) => folder.Write(name, manifest.ToJsonString());

    [Fact]
    public async Task Two_equal_manifests_exit_0_and_print_nothing()
    {
        var (code, output, error) = await Run("diff", Write("a.manifest.json", ManifestDiffTests.Manifest()), Write("b.manifest.json", ManifestDiffTests.Manifest()));

        Assert.Equal(0, code);
        Assert.Equal("", output);
        Assert.Equal("", error);
    }

    [Fact]
    public async Task Two_different_manifests_exit_1_with_a_line_per_difference_and_a_summary()
    {
        var (code, output, _) = await Run("diff", Write("a.manifest.json", ManifestDiffTests.Manifest()),
            Write("b.manifest.json", ManifestDiffTests.Manifest("sha256:t2")));

        Assert.Equal(1, code);
        Assert.Equal("~ tree-digest: sha256:t1->sha256:t2\n1 difference: 0 added, 0 removed, 1 changed\n", output);
    }

    [Fact]
    public async Task Json_gives_the_same_differences_as_one_object()
    {
        var (code, output, _) = await Run("diff", "--json", Write("a.manifest.json", ManifestDiffTests.Manifest()),
            Write("b.manifest.json", ManifestDiffTests.Manifest("sha256:t2")));

        Assert.Equal(1, code);
        var json = JsonNode.Parse(output)!;
        Assert.Equal("manifests", json["compared"]!.GetValue<string>());
        Assert.False(json["identical"]!.GetValue<bool>());
        var difference = Assert.Single(json["differences"]!.AsArray())!;
        Assert.Equal("tree-digest", difference["subject"]!.GetValue<string>());
        Assert.Equal("changed", difference["change"]!.GetValue<string>());
        Assert.Equal("sha256:t2", difference["attributes"]![0]!["b"]!.GetValue<string>());
        Assert.Equal(1, json["summary"]!["changed"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_missing_file_exits_2()
    {
        var (code, output, error) = await Run("diff", Write("a.manifest.json", ManifestDiffTests.Manifest()), Path.Combine(folder.Path, "missing.qcow2"));

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("missing.qcow2 does not exist", error);
    }

    [Fact]
    public async Task A_manifest_and_an_image_cannot_be_compared()
    {
        var (code, _, error) = await Run("diff", Write("a.manifest.json", ManifestDiffTests.Manifest()), Path.Combine(folder.Path, "base.qcow2"));

        Assert.Equal(2, code);
        Assert.Contains("compare two images, or two manifests", error);
    }

    [Fact]
    public async Task Json_that_is_not_a_manifest_exits_2()
    {
        var (code, _, error) = await Run("diff", folder.Write("a.json", """{ "name": "x" }"""), Write("b.manifest.json", ManifestDiffTests.Manifest()));

        Assert.Equal(2, code);
        Assert.Contains("is JSON but not a Builder manifest", error);
    }
}
