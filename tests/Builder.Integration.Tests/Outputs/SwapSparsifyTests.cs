using System.Text.Json;
using Builder.Execution;
using Builder.IntegrationTests.Guestfs;
using Builder.Recipes;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.IntegrationTests.Outputs;

/// <summary>
/// Sparsifying on both backends, on a template with no operating system (so no shell: trimming
/// must not need one) and a swap partition full of old pages: the output keeps the swap's UUID and
/// label, and neither the swap's pages nor the filesystem's deleted blocks are written into it.
/// </summary>
public sealed class SwapSparsifyTests : IDisposable
{
    private const string SwapUuid = "5b1e0c1a-8f3e-4d2b-9a61-3c0d2f7e9b44";
    private const long Partition1 = 1L << 20, Partition1Size = 160L << 20;
    private readonly TestWorkspace workspace = TestWorkspace.Create("swap-sparsify");

    public void Dispose() => workspace.Dispose();

    [Theory]
    [InlineData(BackendChoice.Host)]
    [InlineData(BackendChoice.Appliance)]
    public async Task Swap_is_recreated_empty_with_its_identity_and_deleted_blocks_stay_out(BackendChoice backend)
    {
        var template = MakeTemplate();
        var templateSha = Tools.Sha256(template);
        Assert.True(Required(template, "raw") > 100L << 20, "the template should carry old swap pages and a deleted file's blocks");
        var recipe = workspace.File("recipe.yaml");
        File.WriteAllText(recipe, "name: swap\ntemplate: disk.raw\noutput: { path: out/swap.qcow2 }\nsteps:\n  - write: { path: /hello, content: \"hi\\n\" }\n");

        using var services = new ServiceCollection().AddBuilder(workspace.File("store")).BuildServiceProvider();
        var loaded = services.GetRequiredService<RecipeLoader>().Load(recipe);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
        var events = new List<BuildEvent>();
        var result = await services.GetRequiredService<IImageBuilder>().BuildAsync(loaded.Recipe!, new BuildOptions(Backend: backend),
            new Progress(events), CancellationToken.None);
        Assert.True(result.Succeeded, result.Error?.Message + "\n" + result.Error?.Hint);

        var output = result.OutputPath!;
        Assert.True(Required(output, "qcow2") < 40L << 20, $"the output holds {Required(output, "qcow2")} bytes of data");
        Assert.True(Assert.Single(events.OfType<BuildSucceeded>()).SavedByTrimming > 100L << 20);
        var raw = workspace.File("out/swap.raw");
        Tools.Run("qemu-img", "convert", "-O", "raw", output, raw);
        var swap = Probe(raw, SwapOffset(raw));
        Assert.Equal("swap", swap["TYPE"]);
        Assert.Equal(SwapUuid, swap["UUID"]);
        Assert.Equal("oldswap", swap["LABEL"]);
        Assert.Equal("ext4", Probe(raw, Partition1)["TYPE"]);
        Assert.Equal(templateSha, Tools.Sha256(template));
    }

    /// <summary>
    /// A 256 MiB raw GPT disk: partition 1 ext4 (a 60 MiB file written and deleted), partition 2
    /// swap labelled "oldswap" whose pages are full of random data.
    /// </summary>
    private string MakeTemplate()
    {
        var disk = workspace.File("disk.raw");
        Tools.Run("truncate", "-s", "256M", disk);
        Tools.RunWithInput("label: gpt\nstart=2048, size=327680, type=linux\ntype=swap\n", "sfdisk", "-q", disk);
        Tools.Run("mke2fs", "-q", "-F", "-t", "ext4", "-E", $"offset={Partition1}", disk, $"{Partition1Size / 1024}k");
        var data = Loop(disk, Partition1, Partition1Size);
        var mount = Directory.CreateDirectory(workspace.File("mnt")).FullName;
        try
        {
            Tools.Run("mount", data, mount);
            try
            {
                Tools.Run("dd", "if=/dev/urandom", $"of={mount}/old", "bs=1M", "count=60", "status=none");
                Tools.Run("sync", "-f", mount);
                File.Delete($"{mount}/old");
            }
            finally
            {
                Tools.Run("umount", mount);
            }
        }
        finally
        {
            Tools.Run("losetup", "-d", data);
        }
        var swapOffset = SwapOffset(disk);
        var swap = Loop(disk, swapOffset, null);
        try
        {
            Tools.Run("mkswap", "-q", "-L", "oldswap", "-U", SwapUuid, swap);
            Tools.Run("dd", "if=/dev/urandom", $"of={swap}", "bs=1M", "seek=1", "count=60", "status=none", "conv=notrunc");
        }
        finally
        {
            Tools.Run("losetup", "-d", swap);
        }
        return disk;
    }

    private static string Loop(string disk, long offset, long? size)
    {
        List<string> arguments = ["--find", "--show", "--offset", offset.ToString()];
        if (size is { } bytes) arguments.AddRange(["--sizelimit", bytes.ToString()]);
        arguments.Add(disk);
        return Tools.Run("losetup", [.. arguments]).Trim();
    }

    private static long SwapOffset(string disk)
    {
        using var table = JsonDocument.Parse(Tools.Run("sfdisk", "--json", disk));
        return table.RootElement.GetProperty("partitiontable").GetProperty("partitions")[1].GetProperty("start").GetInt64() * 512;
    }

    private static Dictionary<string, string> Probe(string disk, long offset) =>
        Tools.Run("blkid", "-p", "-o", "export", "-O", offset.ToString(), disk)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    private static long Required(string image, string format)
    {
        using var measure = JsonDocument.Parse(Tools.Run("qemu-img", "measure", "--output=json", "-f", format, "-O", "qcow2", image));
        return measure.RootElement.GetProperty("required").GetInt64();
    }

    private sealed class Progress(List<BuildEvent> events) : IProgress<BuildEvent>
    {
        public void Report(BuildEvent value)
        {
            lock (events) events.Add(value);
        }
    }
}
