using System.Runtime.InteropServices;

namespace Builder.Guestfs.Native;

/// <summary>The libguestfs calls that grow a disk's last partition and what is on it.</summary>
internal static unsafe partial class GuestfsNative
{
    [LibraryImport(Library, EntryPoint = "guestfs_part_get_parttype", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte* PartGetParttype(GuestfsHandle g, string device);

    [LibraryImport(Library, EntryPoint = "guestfs_part_list", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial PartitionList* PartList(GuestfsHandle g, string device);

    [LibraryImport(Library, EntryPoint = "guestfs_free_partition_list")]
    internal static partial void FreePartitionList(PartitionList* list);

    [LibraryImport(Library, EntryPoint = "guestfs_part_get_mbr_id", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int PartGetMbrId(GuestfsHandle g, string device, int partnum);

    [LibraryImport(Library, EntryPoint = "guestfs_part_expand_gpt", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int PartExpandGpt(GuestfsHandle g, string device);

    [LibraryImport(Library, EntryPoint = "guestfs_part_resize", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int PartResize(GuestfsHandle g, string device, int partnum, long endsect);

    [LibraryImport(Library, EntryPoint = "guestfs_blockdev_getsize64", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial long BlockdevGetsize64(GuestfsHandle g, string device);

    [LibraryImport(Library, EntryPoint = "guestfs_blockdev_getss", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BlockdevGetss(GuestfsHandle g, string device);

    [LibraryImport(Library, EntryPoint = "guestfs_pread_device", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte* PreadDevice(GuestfsHandle g, string device, int count, long offset, nuint* size);

    [LibraryImport(Library, EntryPoint = "guestfs_vfs_type", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte* VfsType(GuestfsHandle g, string mountable);

    [LibraryImport(Library, EntryPoint = "guestfs_lvs")]
    internal static partial byte** Lvs(GuestfsHandle g);

    [LibraryImport(Library, EntryPoint = "guestfs_pvresize", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Pvresize(GuestfsHandle g, string device);

    [LibraryImport(Library, EntryPoint = "guestfs_lvresize_free", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int LvresizeFree(GuestfsHandle g, string lv, int percent);

    [LibraryImport(Library, EntryPoint = "guestfs_resize2fs", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Resize2fs(GuestfsHandle g, string device);

    [LibraryImport(Library, EntryPoint = "guestfs_xfs_growfs_argv", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int XfsGrowfsArgv(GuestfsHandle g, string path, XfsGrowfsArgv* optargs);

    [LibraryImport(Library, EntryPoint = "guestfs_btrfs_filesystem_resize_argv", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BtrfsFilesystemResizeArgv(GuestfsHandle g, string mountpoint, BtrfsFilesystemResizeArgv* optargs);
}

/// <summary>struct guestfs_partition: part_start and part_end are byte offsets, part_end the last byte.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GuestfsPartition
{
    public int PartNum;
    public ulong PartStart;
    public ulong PartEnd;
    public ulong PartSize;
}

/// <summary>struct guestfs_partition_list.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct PartitionList
{
    public uint Len;
    public GuestfsPartition* Val;
}

/// <summary>struct guestfs_xfs_growfs_argv (guestfs.h): no optional argument set grows the data section to the device's size.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct XfsGrowfsArgv
{
    public ulong Bitmask;
    public int Datasec;
    public int Logsec;
    public int Rtsec;
    public long Datasize;
    public long Logsize;
    public long Rtsize;
    public long Rtextsize;
    public int Maxpct;
}

/// <summary>struct guestfs_btrfs_filesystem_resize_argv (guestfs.h): no size grows the filesystem to its device's size.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct BtrfsFilesystemResizeArgv
{
    public ulong Bitmask;
    public long Size;
}
