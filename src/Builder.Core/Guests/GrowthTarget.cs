using Builder.Recipes;

namespace Builder.Guests;

/// <summary>What growing a disk works on, as found on the disk before anything is changed.</summary>
/// <param name="Partition">The partition that grows, as libguestfs names it: "/dev/sda2".</param>
/// <param name="Number">Its number in the table: 2.</param>
/// <param name="Gpt">A GPT table (its backup header moves to the new end first); otherwise MBR.</param>
/// <param name="PhysicalVolume">The partition is an LVM physical volume.</param>
/// <param name="LogicalVolume">The logical volume that grows into the physical volume, or null.</param>
/// <param name="Filesystem">The type of the filesystem that grows ("ext4", "xfs", "btrfs"): on the partition, or on
/// the logical volume; null for a physical volume with no logical volume named.</param>
public sealed record GrowthTarget(string Partition, int Number, bool Gpt, bool PhysicalVolume, string? LogicalVolume, string? Filesystem)
{
    /// <summary>"Growing /dev/sda1 and its ext4 filesystem to 4 GiB": the phase's description.</summary>
    public string Describe(long size)
    {
        var what = (PhysicalVolume, LogicalVolume) switch
        {
            (false, _) => $"{Partition} and its {Filesystem} filesystem",
            (true, null) => $"{Partition} and its LVM physical volume",
            (true, { } volume) => $"{Partition} (LVM physical volume), {volume} and its {Filesystem} filesystem",
        };
        return $"Growing {what} to {ByteSize.Format(size)}";
    }
}
