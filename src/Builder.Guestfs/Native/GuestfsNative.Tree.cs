using System.Runtime.InteropServices;

namespace Builder.Guestfs.Native;

/// <summary>The libguestfs calls that keep a tree listing from changing the guest: remounting read-only and back.</summary>
internal static unsafe partial class GuestfsNative
{
    [LibraryImport(Library, EntryPoint = "guestfs_remount_argv", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int RemountArgv(GuestfsHandle g, string mountpoint, RemountArgv* optargs);

    [LibraryImport(Library, EntryPoint = "guestfs_statvfs", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial StatVfs* Statvfs(GuestfsHandle g, string path);

    [LibraryImport(Library, EntryPoint = "guestfs_free_statvfs")]
    internal static partial void FreeStatvfs(StatVfs* stat);
}

/// <summary>struct guestfs_remount_argv (guestfs.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RemountArgv
{
    public const ulong RwBit = 1UL << 0;

    public ulong Bitmask;
    public int Rw;
}

/// <summary>struct guestfs_statvfs: every field is an int64_t.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct StatVfs
{
    /// <summary>ST_RDONLY in <see cref="Flag"/>: the filesystem is mounted read-only.</summary>
    public const long ReadOnly = 1;

    public long BlockSize, FragmentSize, Blocks, BlocksFree, BlocksAvailable, Files, FilesFree, FilesAvailable, FsId, Flag, NameMax;
}
