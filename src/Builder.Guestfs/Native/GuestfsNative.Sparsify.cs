using System.Runtime.InteropServices;

namespace Builder.Guestfs.Native;

/// <summary>The libguestfs calls that make a disk sparse: trimming filesystems and recreating swap.</summary>
internal static unsafe partial class GuestfsNative
{
    [LibraryImport(Library, EntryPoint = "guestfs_mountpoints")]
    internal static partial byte** Mountpoints(GuestfsHandle g);

    [LibraryImport(Library, EntryPoint = "guestfs_list_partitions")]
    internal static partial byte** ListPartitions(GuestfsHandle g);

    [LibraryImport(Library, EntryPoint = "guestfs_fstrim_argv", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int FstrimArgv(GuestfsHandle g, string mountpoint, FstrimArgv* optargs);

    [LibraryImport(Library, EntryPoint = "guestfs_vfs_uuid", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte* VfsUuid(GuestfsHandle g, string mountable);

    [LibraryImport(Library, EntryPoint = "guestfs_vfs_label", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte* VfsLabel(GuestfsHandle g, string mountable);

    [LibraryImport(Library, EntryPoint = "guestfs_blkdiscard", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Blkdiscard(GuestfsHandle g, string device);

    [LibraryImport(Library, EntryPoint = "guestfs_mkswap_opts_argv", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int MkswapOptsArgv(GuestfsHandle g, string device, MkswapOptsArgv* optargs);
}

/// <summary>struct guestfs_fstrim_argv (guestfs.h): no optional argument set trims the whole filesystem.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FstrimArgv
{
    public ulong Bitmask;
    public long Offset;
    public long Length;
    public long MinimumFreeExtent;
}

/// <summary>struct guestfs_mkswap_opts_argv (guestfs.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct MkswapOptsArgv
{
    public const ulong LabelBit = 1UL << 0;
    public const ulong UuidBit = 1UL << 1;

    public ulong Bitmask;
    public byte* Label;
    public byte* Uuid;
}
