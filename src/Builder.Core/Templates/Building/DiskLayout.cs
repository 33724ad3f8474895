using System.Globalization;
using System.Text.Json;
using Builder.Processes;
using Builder.Templates.Definitions;

namespace Builder.Templates.Building;

/// <summary>
/// Lays a root tree onto a raw disk without mounting anything: sfdisk writes the partition table,
/// mke2fs -d fills the filesystem from the tree at the partition's offset, and SYSLINUX's boot
/// code goes into the first 440 bytes.
/// </summary>
internal static class DiskLayout
{
    /// <summary>The root filesystem's partition, as libguestfs names it in a one-disk appliance.</summary>
    public const string RootDevice = "/dev/sda1";

    private const long SectorSize = 512;
    private const long FirstSector = 2048;

    private static readonly string[] BootCodeFolders = ["/usr/lib/syslinux/mbr", "/usr/lib/EXTLINUX"];

    public static async Task CreateAsync(DiskSpec disk, string tree, string image, CancellationToken cancellationToken)
    {
        var bootCode = BootCode(disk.PartitionTable);
        await using (var file = new FileStream(image, FileMode.CreateNew, FileAccess.Write))
            file.SetLength(disk.Size.Bytes);

        await RunAsync("sfdisk", ["--quiet", "--no-reread", "--no-tell-kernel", image], PartitionScript(disk.PartitionTable), cancellationToken);
        var sectors = await PartitionSectorsAsync(image, cancellationToken);

        List<string> mke2fs = ["-q", "-F", "-t", "ext4", "-L", disk.Label, "-E", $"offset={FirstSector * SectorSize}", "-d", tree, image,
            (sectors * SectorSize / 1024).ToString(CultureInfo.InvariantCulture) + "k"];
        await RunAsync("mke2fs", mke2fs, null, cancellationToken);

        await using var disk2 = new FileStream(image, FileMode.Open, FileAccess.Write);
        await disk2.WriteAsync(await File.ReadAllBytesAsync(bootCode, cancellationToken), cancellationToken);
    }

    private static string PartitionScript(PartitionTable table) => table switch
    {
        PartitionTable.Mbr => $"label: dos\nstart={FirstSector}, type=83, bootable\n",
        // gptmbr.bin boots the partition with GPT's "legacy BIOS bootable" attribute.
        _ => $"label: gpt\nstart={FirstSector}, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, attrs=\"LegacyBIOSBootable\"\n",
    };

    private static string BootCode(PartitionTable table)
    {
        var name = table == PartitionTable.Mbr ? "mbr.bin" : "gptmbr.bin";
        return BootCodeFolders.Select(f => Path.Combine(f, name)).FirstOrDefault(File.Exists)
               ?? throw new TemplateBuildException($"SYSLINUX's {name} boot code was not found in {string.Join(" or ", BootCodeFolders)}",
                   "apt-get install syslinux-common");
    }

    private static async Task<long> PartitionSectorsAsync(string image, CancellationToken cancellationToken)
    {
        var json = await RunAsync("sfdisk", ["--json", image], null, cancellationToken);
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("partitiontable").GetProperty("partitions")[0].GetProperty("size").GetInt64();
    }

    private static async Task<string> RunAsync(string program, IEnumerable<string> arguments, string? input, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync(program, arguments, cancellationToken, input: input);
        if (result.ExitCode != 0)
            throw new TemplateBuildException($"{program} failed (exit {result.ExitCode}): {result.StandardError.Trim()}");
        return result.StandardOutput;
    }
}
