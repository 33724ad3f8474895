using Builder.Guestfs.Native;
using Builder.Guests;

namespace Builder.Guestfs.Appliance;

/// <summary>
/// Makes the appliance's disk sparse, as virt-sparsify --in-place does: fstrim on every mounted
/// filesystem (the drive passes discards on to the image), and each swap partition discarded whole
/// and made again with its UUID and label. What a filesystem or the disk cannot do is skipped and said.
/// </summary>
internal static class ApplianceSparsifier
{
    public static IReadOnlyList<SparsifyOutcome> Run(GuestfsConnection g)
    {
        var done = new List<SparsifyOutcome>();
        // The guest's filesystems on its disk (not the tmpfs for commands); deepest first, so a filesystem mounted
        // inside another is trimmed before its parent; each once.
        var mounts = g.Mountpoints().Where(m => m.Key.StartsWith("/dev/", StringComparison.Ordinal)).DistinctBy(m => m.Key).ToList();
        foreach (var (device, mountpoint) in mounts.OrderByDescending(m => m.Value.Length))
        {
            try
            {
                g.Fstrim(mountpoint);
                done.Add(new SparsifyOutcome($"trimmed {mountpoint} ({device})", true));
            }
            catch (GuestfsException e)
            {
                done.Add(new SparsifyOutcome($"could not trim {mountpoint} ({device}): {e.Summary}", false));
            }
        }
        foreach (var device in SwapDevices(g, mounts.Select(m => m.Key).ToHashSet(StringComparer.Ordinal)))
            done.Add(RecreateSwap(g, device));
        return done;
    }

    /// <summary>
    /// The swap partitions and logical volumes: the partitions not mounted, and the logical volumes
    /// when a partition is an LVM member or a mounted filesystem is on a logical volume, each probed
    /// once. list_filesystems finds the same but probes every device several ways, seconds under TCG.
    /// </summary>
    private static List<string> SwapDevices(GuestfsConnection g, IReadOnlySet<string> mounted)
    {
        var partitions = g.ListPartitions();
        var swap = new List<string>();
        // A logical volume is /dev/VG/LV or /dev/mapper/…; a partition or a whole disk is /dev/NAME.
        var lvm = mounted.Any(device => device.Count(c => c == '/') > 2);
        foreach (var partition in partitions.Where(p => !mounted.Contains(p)))
        {
            var type = TypeOf(g, partition);
            if (type == "swap") swap.Add(partition);
            lvm |= type == "LVM2_member";
        }
        if (!lvm) return swap;
        string[] volumes;
        try
        {
            volumes = g.Lvs();
        }
        catch (GuestfsException)
        {
            return swap;
        }
        swap.AddRange(volumes.Where(v => !mounted.Contains(v) && TypeOf(g, v) == "swap"));
        return swap;
    }

    private static string TypeOf(GuestfsConnection g, string device)
    {
        try
        {
            return g.VfsType(device);
        }
        catch (GuestfsException)
        {
            return "";
        }
    }

    private static SparsifyOutcome RecreateSwap(GuestfsConnection g, string device)
    {
        string uuid, label;
        try
        {
            uuid = g.VfsUuid(device);
            label = g.VfsLabel(device);
        }
        catch (GuestfsException e)
        {
            return new SparsifyOutcome($"left swap {device} as it is: {e.Summary}", false);
        }
        try
        {
            g.Blkdiscard(device);
        }
        catch (GuestfsException e)
        {
            return new SparsifyOutcome($"left swap {device} as it is (it cannot discard: {e.Summary})", false);
        }
        g.Mkswap(device, label, uuid);
        return new SparsifyOutcome($"recreated swap {device} empty (UUID {uuid}{(label.Length == 0 ? "" : $", label {label}")})", true);
    }
}
