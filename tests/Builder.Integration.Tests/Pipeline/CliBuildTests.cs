using System.Text.Json;
using System.Text.Json.Nodes;
using Builder.IntegrationTests.Guestfs;

namespace Builder.IntegrationTests.Pipeline;

/// <summary>`builder build` as a process: a raw image with JSON events, read back with e2fsprogs.</summary>
public sealed class CliBuildTests : IDisposable
{
    private readonly BuildWorkspace workspace = BuildWorkspace.Create("cli-raw");

    public void Dispose() => workspace.Dispose();

    [Fact]
    public async Task Builds_a_raw_image_with_json_events_and_exit_0()
    {
        workspace.Write("recipe.yaml", """
            template: templates/tiny.qcow2
            steps:
              - write: { path: /etc/motd, content: "raw output\n" }
              - hostname: raw-host
            """);

        var (code, output, error) = await BuilderProcess.RunAsync(workspace.Path, workspace.Environment,
            "build", "recipe.yaml", "-o", "out/disk.raw", "--json");

        Assert.True(code == 0, error);
        var events = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal("build-started", (string)events[0]["event"]!);
        Assert.Equal(["write", "hostname"], events.Where(e => (string)e["event"]! == "step-started").Select(e => (string)e["kind"]!));
        var done = events.Single(e => (string)e["event"]! == "build-succeeded");
        Assert.Equal("raw", (string)done["format"]!);
        Assert.True((double)done["at"]! > 0);

        var image = workspace.Output("disk.raw");
        Assert.Equal("raw", JsonDocument.Parse(Tools.Run("qemu-img", "info", "--output=json", image)).RootElement.GetProperty("format").GetString());
        Assert.Equal("raw output\n", ReadFromRootPartition(image, "/etc/motd"));
        Assert.Equal("raw-host\n", ReadFromRootPartition(image, "/etc/hostname"));
        Assert.Equal(["disk.raw", "disk.raw.build.log", "disk.raw.manifest.json"], workspace.OutputEntries());
        Assert.Equal(workspace.TemplateSha256, Tools.Sha256(workspace.Template));
    }

    /// <summary>The tiny template's root filesystem starts at sector 2048; debugfs reads it from a copy of that partition.</summary>
    private string ReadFromRootPartition(string rawImage, string path)
    {
        var partition = Path.Combine(workspace.Path, "partition.img");
        if (!File.Exists(partition)) Tools.Run("dd", $"if={rawImage}", $"of={partition}", "bs=1M", "skip=1", "status=none");
        return Tools.Run("debugfs", "-R", $"cat {path}", partition);
    }
}
