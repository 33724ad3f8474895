using Builder.Execution;
using Builder.IntegrationTests.Guestfs;
using Builder.Recipes;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.IntegrationTests.Pipeline;

/// <summary>
/// One small recipe built once per output format, and once compressed, on the host backend
/// through the library, in one workspace on the tiny template. The layers are made by the first
/// build; every other build takes them from the cache, so it differs only in what qemu-img writes.
/// Shared by <see cref="OutputFormatTests"/>.
/// </summary>
public sealed class OutputFormatBuilds : IAsyncLifetime
{
    /// <summary>The steps of every recipe here; the file is large and repetitive, so compression shows.</summary>
    public static readonly string Steps = $$"""
        steps:
          - write: { path: /etc/motd, content: "written once, read in every format\n" }
          - write: { path: /srv/data.txt, content: "{{string.Concat(Enumerable.Repeat("compressible line of text\\n", 20_000))}}" }
          - hostname: formats.example.com
        """;

    /// <summary>Each variant's output mapping; the format follows the file name.</summary>
    public static readonly IReadOnlyDictionary<string, string> Outputs = new Dictionary<string, string>
    {
        ["qcow2"] = "{ path: out/image.qcow2 }",
        ["compressed"] = "{ path: out/compressed.qcow2, compress: true }",
        ["raw"] = "{ path: out/image.raw }",
        ["vmdk"] = "{ path: out/image.vmdk }",
        ["vhdx"] = "{ path: out/image.vhdx }",
        ["vpc"] = "{ path: out/image.vhd }",
    };

    private readonly Dictionary<string, string> rawSha256 = [];

    internal BuildWorkspace Workspace { get; private set; } = null!;

    public Dictionary<string, BuildResult> Results { get; } = [];

    /// <summary>What each build reported of its output.</summary>
    public Dictionary<string, BuildSucceeded> Reported { get; } = [];

    public async Task InitializeAsync()
    {
        Workspace = BuildWorkspace.Create("formats");
        await using var services = new ServiceCollection().AddBuilder(Workspace.Store).BuildServiceProvider();
        foreach (var (variant, output) in Outputs)
        {
            var file = WriteRecipe(variant, output);
            var loaded = services.GetRequiredService<RecipeLoader>().Load(file);
            Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
            var reported = new Reporter();
            Results[variant] = await services.GetRequiredService<IImageBuilder>()
                .BuildAsync(loaded.Recipe!, new BuildOptions(Backend: BackendChoice.Host), reported, CancellationToken.None);
            if (reported.Succeeded is { } succeeded) Reported[variant] = succeeded;
        }
    }

    /// <summary>A recipe with the shared steps and this output, as NAME.yaml in the workspace.</summary>
    public string WriteRecipe(string name, string output) =>
        Workspace.Write($"{name}.yaml", $"name: {name}\ntemplate: templates/tiny.qcow2\noutput: {output}\n{Steps}");

    public string Output(string variant) => Results[variant].OutputPath!;

    /// <summary>qemu's name of a variant's format.</summary>
    public static string FormatOf(string variant) => variant == "compressed" ? "qcow2" : variant;

    /// <summary>The sha256 of the image's disk contents: qemu-img converts it to raw (the format given, never probed).</summary>
    public string RawSha256(string image, string format)
    {
        lock (rawSha256)
        {
            if (rawSha256.TryGetValue(image, out var known)) return known;
            var raw = Path.Combine(Workspace.Path, "raw", $"{Guid.NewGuid():N}.raw");
            Directory.CreateDirectory(Path.GetDirectoryName(raw)!);
            Tools.Run("qemu-img", "convert", "-f", format, "-O", "raw", image, raw);
            var sha = Tools.Sha256(raw);
            File.Delete(raw);
            return rawSha256[image] = sha;
        }
    }

    private sealed class Reporter : IProgress<BuildEvent>
    {
        public BuildSucceeded? Succeeded { get; private set; }

        public void Report(BuildEvent value)
        {
            if (value is BuildSucceeded succeeded) Succeeded = succeeded;
        }
    }

    public Task DisposeAsync()
    {
        Workspace.Dispose();
        return Task.CompletedTask;
    }
}
