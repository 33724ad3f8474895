using System.Text.Json;
using Builder.IntegrationTests.Guestfs;
using Builder.Steps.Options;
using Builder.Templates.Building;
using Builder.Templates.Definitions;

namespace Builder.IntegrationTests.Templates;

/// <summary>A tree laid onto a raw disk with sfdisk and mke2fs -d: read back with sfdisk and debugfs, no mounts.</summary>
public sealed class DiskLayoutTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("builder-layout-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData(PartitionTable.Mbr, "dos", "mbr.bin")]
    [InlineData(PartitionTable.Gpt, "gpt", "gptmbr.bin")]
    public async Task Lays_the_tree_onto_a_bootable_partition_with_syslinux_boot_code(PartitionTable table, string label, string bootCode)
    {
        var tree = Path.Combine(folder, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "etc"));
        File.WriteAllText(Path.Combine(tree, "etc", "hostname"), "layout-test\n");
        var image = Path.Combine(folder, "disk.raw");

        await DiskLayout.CreateAsync(new DiskSpec(new DataSize(64L << 20), table, RootFilesystem.Ext4, "root"), tree, image, CancellationToken.None);

        var partitions = JsonDocument.Parse(Tools.Run("sfdisk", "--json", image)).RootElement.GetProperty("partitiontable");
        Assert.Equal(label, partitions.GetProperty("label").GetString());
        var partition = partitions.GetProperty("partitions")[0];
        Assert.Equal(2048, partition.GetProperty("start").GetInt64());
        if (table == PartitionTable.Mbr) Assert.True(partition.GetProperty("bootable").GetBoolean());
        else Assert.Equal("LegacyBIOSBootable", partition.GetProperty("attrs").GetString());

        var expected = File.ReadAllBytes(Path.Combine("/usr/lib/syslinux/mbr", bootCode));
        Assert.Equal(expected, File.ReadAllBytes(image)[..expected.Length]);

        var filesystem = Path.Combine(folder, "root.img");
        Tools.Run("dd", $"if={image}", $"of={filesystem}", "bs=512", "skip=2048", $"count={partition.GetProperty("size").GetInt64()}", "status=none");
        Assert.Equal("layout-test\n", Tools.Run("debugfs", "-R", "cat /etc/hostname", filesystem));
        Assert.Contains("Filesystem volume name:   root", Tools.Run("dumpe2fs", "-h", filesystem));
        Assert.Equal(64L << 20, new FileInfo(image).Length);
    }
}
