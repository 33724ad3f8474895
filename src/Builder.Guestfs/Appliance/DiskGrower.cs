using Builder.Guestfs.Native;
using Builder.Guests;

namespace Builder.Guestfs.Appliance;

/// <summary>
/// Grows the disk's last partition to the end of the (already bigger) disk and then what is on it,
/// before the guest is mounted, as virt-resize --expand and --lv-expand do: the backup GPT moves to
/// the new end, parted moves the partition's end (its start, type, flags and GUID stay), and the
/// filesystem grows online, mounted on the appliance's / for the purpose: resize2fs, xfs_growfs or
/// btrfs filesystem resize; or pvresize, then lvresize into the free space and the volume's filesystem.
/// </summary>
internal static class DiskGrower
{
    private const string Disk = "/dev/sda";

    /// <summary>The "EFI PART" signature at the start of a GPT header, read as a little-endian number.</summary>
    private const long GptSignature = 0x5452415020494645;

    /// <summary>Where in a GPT header its last usable sector is.</summary>
    private const int LastUsableLbaOffset = 48;

    private static readonly HashSet<int> ExtendedMbrIds = [0x05, 0x0f, 0x85];

    /// <summary>What to grow, checked against what the request asks; nothing on the disk changes.</summary>
    public static GrowthTarget Find(GuestfsConnection g, DiskGrowth growth)
    {
        var table = TableType(g);
        var gpt = table == "gpt";
        var partitions = g.PartList(Disk)
            .Where(p => gpt || !ExtendedMbrIds.Contains(g.PartGetMbrId(Disk, p.Number)))
            .Select(p => (p.Number, p.End))
            .ToList();
        var number = GrowthRules.ChoosePartition(growth, partitions);
        GrowthRules.CheckPrimary(number, gpt);
        var partition = GrowthRules.DeviceName(number);
        if (!gpt && LastSector(g) > GrowthRules.MbrLastSector) throw DiskGrowthException.MbrLimit(partition);
        var content = TypeOf(g, partition);
        if (content == GrowthRules.PhysicalVolumeType)
        {
            if (growth.LogicalVolume is not { } volume) return new GrowthTarget(partition, number, gpt, true, null, null);
            var volumes = g.Lvs();
            if (!volumes.Contains(volume, StringComparer.Ordinal)) throw DiskGrowthException.NoSuchVolume(volume, volumes);
            var filesystem = TypeOf(g, volume);
            if (!GrowthRules.IsGrowableFilesystem(filesystem)) throw DiskGrowthException.Unsupported(volume, filesystem);
            return new GrowthTarget(partition, number, gpt, true, volume, filesystem);
        }
        if (growth.LogicalVolume is { } named) throw DiskGrowthException.NotAPhysicalVolume(partition, content, named);
        if (!GrowthRules.IsGrowableFilesystem(content)) throw DiskGrowthException.Unsupported(partition, content);
        return new GrowthTarget(partition, number, gpt, false, null, content);
    }

    public static void Grow(GuestfsConnection g, GrowthTarget target)
    {
        if (target.Gpt) g.PartExpandGpt(Disk);
        var sectorSize = g.BlockdevGetss(Disk);
        var lastSector = target.Gpt ? GptLastUsableSector(g, sectorSize) : LastSector(g);
        var (_, _, end) = g.PartList(Disk).First(p => p.Number == target.Number);
        if ((end + 1) / sectorSize - 1 < lastSector) g.PartResize(Disk, target.Number, lastSector);

        if (!target.PhysicalVolume)
        {
            GrowFilesystem(g, target.Partition, target.Filesystem!);
            return;
        }
        g.Pvresize(target.Partition);
        if (target.LogicalVolume is not { } volume) return;
        try
        {
            g.LvresizeFree(volume, 100);
        }
        catch (GuestfsException e) when (e.LibraryMessage.Contains("matches existing size", StringComparison.Ordinal))
        {
            // The volume group had no free space to give: the disk did not grow beyond the template's size.
        }
        GrowFilesystem(g, volume, target.Filesystem!);
    }

    /// <summary>parted's name for the table: "msdos" or "gpt"; anything else ("loop": a filesystem on the whole disk) has no partition to grow.</summary>
    private static string TableType(GuestfsConnection g)
    {
        string table;
        try
        {
            table = g.PartGetParttype(Disk);
        }
        catch (GuestfsException)
        {
            throw DiskGrowthException.NoPartitionTable();
        }
        return table is "msdos" or "gpt" ? table : throw DiskGrowthException.NoPartitionTable();
    }

    private static string? TypeOf(GuestfsConnection g, string device)
    {
        try
        {
            return g.VfsType(device);
        }
        catch (GuestfsException)
        {
            return null;
        }
    }

    /// <summary>The primary GPT header's last usable sector, which part_expand_gpt set for the new disk size.</summary>
    private static long GptLastUsableSector(GuestfsConnection g, int sectorSize)
    {
        if (g.PreadDeviceInt64(Disk, sectorSize) != GptSignature)
            throw new GuestfsException("guestfs_pread_device", $"no GPT header at sector 1 of {Disk}", 0);
        return g.PreadDeviceInt64(Disk, sectorSize + LastUsableLbaOffset);
    }

    /// <summary>The disk's last sector: where an MBR partition that grows ends.</summary>
    private static long LastSector(GuestfsConnection g) => g.BlockdevGetsize64(Disk) / g.BlockdevGetss(Disk) - 1;

    /// <summary>Mounted on the appliance's / (nothing of the guest is mounted yet), grown online, unmounted again.</summary>
    private static void GrowFilesystem(GuestfsConnection g, string device, string type)
    {
        g.Mount(device, "/");
        try
        {
            switch (type)
            {
                case "xfs":
                    g.XfsGrowfs("/");
                    break;
                case "btrfs":
                    g.BtrfsFilesystemResize("/");
                    break;
                default:
                    g.Resize2fs(device);
                    break;
            }
        }
        finally
        {
            g.UmountAll();
        }
    }
}
