using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Builder.Guestfs.Native;

/// <summary>The calls that grow a disk's last partition and what is on it: partition table, LVM, and filesystem resizing.</summary>
internal sealed unsafe partial class GuestfsConnection
{
    /// <summary>"msdos", "gpt", or parted's name for something else ("loop" for a filesystem on the whole disk).</summary>
    public string PartGetParttype(string device) => TakeString(GuestfsNative.PartGetParttype(Handle, device), "guestfs_part_get_parttype");

    /// <summary>The partitions on the device: number, and first and last byte.</summary>
    public IReadOnlyList<(int Number, long Start, long End)> PartList(string device)
    {
        var list = GuestfsNative.PartList(Handle, device);
        if (list == null) throw Error("guestfs_part_list");
        try
        {
            var partitions = new List<(int, long, long)>((int)list->Len);
            for (var i = 0; i < list->Len; i++)
                partitions.Add((list->Val[i].PartNum, (long)list->Val[i].PartStart, (long)list->Val[i].PartEnd));
            return partitions;
        }
        finally
        {
            GuestfsNative.FreePartitionList(list);
        }
    }

    /// <summary>An MBR partition's type byte (0x83 Linux, 0x05 extended).</summary>
    public int PartGetMbrId(string device, int number) => Check(GuestfsNative.PartGetMbrId(Handle, device, number), "guestfs_part_get_mbr_id");

    /// <summary>sgdisk -e: the backup GPT header and table move to the end of the (grown) disk.</summary>
    public void PartExpandGpt(string device) => Check(GuestfsNative.PartExpandGpt(Handle, device), "guestfs_part_expand_gpt");

    /// <summary>parted resizepart: the partition's end moves; its start, type, flags and GUID stay.</summary>
    public void PartResize(string device, int number, long endSector) =>
        Check(GuestfsNative.PartResize(Handle, device, number, endSector), "guestfs_part_resize");

    public long BlockdevGetsize64(string device)
    {
        var size = GuestfsNative.BlockdevGetsize64(Handle, device);
        return size == -1 ? throw Error("guestfs_blockdev_getsize64") : size;
    }

    public int BlockdevGetss(string device) => Check(GuestfsNative.BlockdevGetss(Handle, device), "guestfs_blockdev_getss");

    /// <summary>A little-endian 64-bit number read from the device at that byte offset.</summary>
    public long PreadDeviceInt64(string device, long offset)
    {
        nuint size;
        var content = GuestfsNative.PreadDevice(Handle, device, sizeof(long), offset, &size);
        if (content == null) throw Error("guestfs_pread_device");
        try
        {
            if (size < sizeof(long)) throw new GuestfsException("guestfs_pread_device", $"short read at {offset} on {device}", 0);
            return BinaryPrimitives.ReadInt64LittleEndian(new ReadOnlySpan<byte>(content, sizeof(long)));
        }
        finally
        {
            NativeMemory.Free(content);
        }
    }

    /// <summary>The filesystem type blkid sees ("ext4", "swap", "LVM2_member"); empty when it sees none.</summary>
    public string VfsType(string mountable) => TakeString(GuestfsNative.VfsType(Handle, mountable), "guestfs_vfs_type");

    /// <summary>Every LVM logical volume, as /dev/VG/LV.</summary>
    public string[] Lvs() => NativeMemoryHelpers.TakeStringList(CheckList(GuestfsNative.Lvs(Handle), "guestfs_lvs"));

    public void Pvresize(string device) => Check(GuestfsNative.Pvresize(Handle, device), "guestfs_pvresize");

    /// <summary>lvresize -l +PERCENT%FREE.</summary>
    public void LvresizeFree(string lv, int percent) => Check(GuestfsNative.LvresizeFree(Handle, lv, percent), "guestfs_lvresize_free");

    /// <summary>resize2fs to the device's size: an online grow when the filesystem is mounted.</summary>
    public void Resize2fs(string device) => Check(GuestfsNative.Resize2fs(Handle, device), "guestfs_resize2fs");

    /// <summary>xfs_growfs on a mounted filesystem, to its device's size.</summary>
    public void XfsGrowfs(string mountpoint)
    {
        var options = new XfsGrowfsArgv();
        Check(GuestfsNative.XfsGrowfsArgv(Handle, mountpoint, &options), "guestfs_xfs_growfs");
    }

    /// <summary>btrfs filesystem resize max on a mounted filesystem.</summary>
    public void BtrfsFilesystemResize(string mountpoint)
    {
        var options = new BtrfsFilesystemResizeArgv();
        Check(GuestfsNative.BtrfsFilesystemResizeArgv(Handle, mountpoint, &options), "guestfs_btrfs_filesystem_resize");
    }
}
