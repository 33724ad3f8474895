using Builder.Tests.Reproducibility;
using Builder.Tests.Support;

namespace Builder.Tests.Cli.Verify;

/// <summary>`builder verify`'s usage errors, in-process: each exits 2 before anything is built (real builds are in the integration suite).</summary>
public sealed class VerifyCommandTests : IDisposable
{
    private readonly InProcessCli cli = new();

    private RecipeFolder folder => cli.Folder;

    public void Dispose() => cli.Dispose();

    private Task<(int Code, string Output, string Error)> Run(params string[] args) => cli.Run(args);

    private string Recipe() => folder.Write("web.yaml", "name: web\ntemplate: base.qcow2\nsteps:\n  - write: { path: /etc/motd, content: hi }\n");

    [Fact]
    public async Task Without_a_recipe_it_is_a_usage_error()
    {
        var (code, output, error) = await Run("verify");

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("Required argument missing for command: 'verify'", error);
    }

    [Fact]
    public async Task A_recipe_that_does_not_exist_exits_2()
    {
        var (code, output, error) = await Run("verify", Path.Combine(folder.Path, "missing.yaml"));

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("missing.yaml:1:1: error B001: cannot read the recipe", error);
    }

    [Fact]
    public async Task A_folder_is_not_one_recipe()
    {
        var (code, _, error) = await Run("verify", folder.Path);

        Assert.Equal(2, code);
        Assert.Contains("is a folder: verify takes one recipe file", error);
    }

    [Fact]
    public async Task A_missing_earlier_manifest_exits_2()
    {
        var (code, output, error) = await Run("verify", Recipe(), "--against", Path.Combine(folder.Path, "old.manifest.json"));

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("error: --against ", error);
        Assert.Contains("old.manifest.json does not exist", error);
    }

    [Fact]
    public async Task An_earlier_manifest_that_does_not_parse_exits_2()
    {
        var manifest = folder.Write("old.manifest.json", """{ "recipe": "web", """);

        var (code, _, error) = await Run("verify", Recipe(), "--against", manifest);

        Assert.Equal(2, code);
        Assert.Contains("old.manifest.json looks like JSON but does not parse", error);
    }

    [Fact]
    public async Task An_image_given_as_the_earlier_manifest_exits_2()
    {
        var (code, _, error) = await Run("verify", Recipe(), "--against", Path.Combine(folder.Path, "base.qcow2"));

        Assert.Equal(2, code);
        Assert.Contains("base.qcow2 is not a manifest", error);
    }

    [Fact]
    public async Task An_earlier_manifest_without_an_output_sha256_exits_2()
    {
        var manifest = ManifestDiffTests.Manifest();
        manifest.Remove("output-sha256");
        var path = folder.Write("old.manifest.json", manifest.ToJsonString());

        var (code, _, error) = await Run("verify", Recipe(), "--against", path);

        Assert.Equal(2, code);
        Assert.Contains("old.manifest.json records no output-sha256", error);
    }

    [Fact]
    public async Task Verify_is_listed_in_the_help()
    {
        var (code, output, _) = await Run("--help");

        Assert.Equal(0, code);
        Assert.Contains(output.Split('\n'), line => line.TrimStart().StartsWith("verify <recipe>", StringComparison.Ordinal));
    }
}
