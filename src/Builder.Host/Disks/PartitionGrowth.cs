using Builder.Guests;

namespace Builder.Host.Disks;

/// <summary>
/// The partition table half of growing a disk on the host: which partition grows (the last), and
/// sfdisk moving its end to the end of the disk file, after moving a GPT's backup header there.
/// Its start, type, flags, GUID and the disk's id stay.
/// </summary>
internal static class PartitionGrowth
{
    private const long SectorSize = 512;

    /// <summary>
    /// What to grow, checked against what the request asks, with the filesystem blkid finds at the
    /// partition's offset; nothing on the disk changes. An LVM physical volume is refused: this
    /// backend does not open LVM.
    /// </summary>
    public static async Task<GrowthTarget> FindAsync(
        string disk, DiskGrowth growth, Action<string>? trace, CancellationToken cancellationToken)
    {
        var (label, partitions) = await PartitionTable.ReadLabeledAsync(disk, trace, cancellationToken).ConfigureAwait(false);
        if (label is not ("dos" or "gpt")) throw DiskGrowthException.NoPartitionTable();
        var gpt = label == "gpt";
        var number = GrowthRules.ChoosePartition(growth, partitions.Select(p => (p.Number, p.Offset + (p.Size ?? 0))).ToList());
        GrowthRules.CheckPrimary(number, gpt);
        var partition = partitions.First(p => p.Number == number);
        if (!gpt && new FileInfo(disk).Length / SectorSize - 1 > GrowthRules.MbrLastSector)
            throw DiskGrowthException.MbrLimit(partition.ApplianceName);

        var block = await BlockProbe.ProbeAsync(disk, partition, trace, cancellationToken).ConfigureAwait(false);
        if (block.Type == GrowthRules.PhysicalVolumeType) throw DiskGrowthException.LvmOnHost(partition.ApplianceName);
        if (growth.LogicalVolume is { } volume) throw DiskGrowthException.NotAPhysicalVolume(partition.ApplianceName, block.Type, volume);
        if (!GrowthRules.IsGrowableFilesystem(block.Type)) throw DiskGrowthException.Unsupported(partition.ApplianceName, block.Type);
        return new GrowthTarget(partition.ApplianceName, number, gpt, false, null, block.Type);
    }

    /// <summary>sfdisk on the disk file: the GPT backup header to the end, then the partition's end as far as it goes (", +").</summary>
    public static async Task ExtendAsync(string disk, GrowthTarget target, Action<string>? trace, CancellationToken cancellationToken)
    {
        if (target.Gpt)
            await HostTool.OutputAsync("sfdisk", ["--quiet", "--no-reread", "--no-tell-kernel", "--relocate", "gpt-bak-std", disk], trace, cancellationToken)
                .ConfigureAwait(false);
        var number = target.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await HostTool.OutputAsync("sfdisk", ["--quiet", "--no-reread", "--no-tell-kernel", "-N", number, disk], trace, cancellationToken, ", +\n")
            .ConfigureAwait(false);
    }
}
