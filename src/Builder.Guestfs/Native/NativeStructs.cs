using System.Runtime.InteropServices;

namespace Builder.Guestfs.Native;

/// <summary>struct guestfs_add_drive_opts_argv (guestfs.h, libguestfs 1.48), laid out field for field.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct AddDriveOptsArgv
{
    public const ulong ReadonlyBit = 1UL << 0;
    public const ulong FormatBit = 1UL << 1;
    public const ulong DiscardBit = 1UL << 10;

    public ulong Bitmask;
    public int Readonly;
    public byte* Format;
    public byte* Iface;
    public byte* Name;
    public byte* Label;
    public byte* Protocol;
    public byte** Server;
    public byte* Username;
    public byte* Secret;
    public byte* Cachemode;
    public byte* Discard;
    public int Copyonread;
    public int Blocksize;
}

/// <summary>struct guestfs_glob_expand_opts_argv.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GlobExpandOptsArgv
{
    public const ulong DirectorySlashBit = 1UL << 0;

    public ulong Bitmask;
    public int DirectorySlash;
}

/// <summary>struct guestfs_tar_in_opts_argv.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct TarInOptsArgv
{
    public ulong Bitmask;
    public byte* Compress;
    public int Xattrs;
    public int Selinux;
    public int Acls;
}

/// <summary>struct guestfs_umount_opts_argv.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct UmountOptsArgv
{
    public const ulong LazyUnmountBit = 1UL << 1;

    public ulong Bitmask;
    public int Force;
    public int LazyUnmount;
}

/// <summary>struct guestfs_statns: every field is an int64_t.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct StatNs
{
    public long Dev, Ino, Mode, Nlink, Uid, Gid, Rdev, Size, Blksize, Blocks;
    public long AtimeSec, AtimeNsec, MtimeSec, MtimeNsec, CtimeSec, CtimeNsec;
    public long Spare1, Spare2, Spare3, Spare4, Spare5, Spare6;
}

/// <summary>GUESTFS_EVENT_* bits.</summary>
[Flags]
internal enum GuestfsEvents : ulong
{
    Close = 0x0001,
    SubprocessQuit = 0x0002,
    LaunchDone = 0x0004,
    Progress = 0x0008,
    Appliance = 0x0010,
    Library = 0x0020,
    Trace = 0x0040,
    Enter = 0x0080,
    LibvirtAuth = 0x0100,
    Warning = 0x0200,
}

/// <summary>struct guestfs_tar_out_opts_argv.</summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
internal unsafe struct TarOutOptsArgv
{
    public const ulong NumericOwnerBit = 1UL << 1;
    public const ulong XattrsBit = 1UL << 3;

    public ulong Bitmask;
    public byte* Compress;
    public int NumericOwner;
    public byte** Excludes;
    public int Xattrs;
    public int Selinux;
    public int Acls;
}
