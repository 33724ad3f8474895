using System.Globalization;
using System.Text.RegularExpressions;

namespace Builder.Guests;

/// <summary>The decisions both backends make, on what each reads from the disk, before growing it.</summary>
public static partial class GrowthRules
{
    /// <summary>What blkid and libguestfs call an LVM physical volume.</summary>
    public const string PhysicalVolumeType = "LVM2_member";

    /// <summary>The highest sector an MBR partition can end on: its start and size are 32-bit sector counts.</summary>
    public const long MbrLastSector = uint.MaxValue;

    /// <summary>
    /// The number of the partition to grow: the last one on the disk (the one that ends last). When
    /// the request names a partition (the template's expand=), it must be that one.
    /// </summary>
    /// <param name="partitions">Each partition's number and where it ends (in any unit), extended MBR partitions left out.</param>
    public static int ChoosePartition(DiskGrowth growth, IReadOnlyList<(int Number, long End)> partitions)
    {
        ArgumentNullException.ThrowIfNull(growth);
        ArgumentNullException.ThrowIfNull(partitions);
        if (partitions.Count == 0) throw DiskGrowthException.NoPartitionTable();
        var last = partitions.OrderBy(p => p.End).ThenBy(p => p.Number).Last().Number;
        if (growth.Partition is { } requested && NumberOf(requested) != last)
            throw DiskGrowthException.NotLast(requested, DeviceName(last));
        return last;
    }

    /// <summary>Whether a partition of that number can grow in a table of that kind: an MBR's logical partitions (5 on) cannot.</summary>
    public static void CheckPrimary(int number, bool gpt)
    {
        if (!gpt && number > 4) throw DiskGrowthException.Logical(DeviceName(number));
    }

    /// <summary>ext2/3/4, xfs and btrfs grow into a bigger partition.</summary>
    public static bool IsGrowableFilesystem(string? type) => type is "ext2" or "ext3" or "ext4" or "xfs" or "btrfs";

    /// <summary>The partition's name on a one-disk guest, as libguestfs and template metadata write it: "/dev/sda2".</summary>
    public static string DeviceName(int number) => $"/dev/sda{number}";

    /// <summary>2 from "/dev/sda2" (also vda2, hda2, xvda2: the first disk under another driver's name).</summary>
    public static int NumberOf(string device)
    {
        var match = PartitionName().Match(device);
        return match.Success ? int.Parse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture)
            : throw DiskGrowthException.NotAPartition(device);
    }

    [GeneratedRegex("^/dev/(?:[shv]|xv)da(?<n>[1-9][0-9]*)$")]
    private static partial Regex PartitionName();
}
