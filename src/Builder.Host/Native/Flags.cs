using System.Runtime.InteropServices;

namespace Builder.Host.Native;

/// <summary>open(2) flags; O_DIRECTORY and O_NOFOLLOW differ between x86_64 and aarch64.</summary>
internal static class OpenFlags
{
    private static readonly bool Arm = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;

    public const int ReadOnly = 0, WriteOnly = 1, ReadWrite = 2;
    public const int Create = 0x40, Exclusive = 0x80, NoCtty = 0x100, Truncate = 0x200, Append = 0x400, NonBlock = 0x800;
    public const int CloseOnExec = 0x80000, Path = 0x200000;

    /// <summary>O_NOATIME: reading does not update the access time (the owner's, or CAP_FOWNER's, privilege).</summary>
    public const int NoAtime = 0x40000;
    public static readonly int Directory = Arm ? 0x4000 : 0x10000;
    public static readonly int NoFollow = Arm ? 0x8000 : 0x20000;
}

/// <summary>openat2(2) resolve flags.</summary>
internal static class ResolveFlags
{
    public const ulong NoMagicLinks = 0x02, NoSymlinks = 0x04, Beneath = 0x08, InRoot = 0x10;
}

internal static class AtFlags
{
    public const int CurrentDirectory = -100;
    public const int SymlinkNoFollow = 0x100, RemoveDirectory = 0x200, EmptyPath = 0x1000;
}

internal static class MountFlags
{
    public const ulong ReadOnly = 1, NoSuid = 2, NoDev = 4, NoExec = 8;
    public const int Detach = 2, NoFollow = 8;
}

internal static class Errno
{
    public const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EAGAIN = 11, EBUSY = 16, EEXIST = 17, EXDEV = 18, ENOTDIR = 20,
        EISDIR = 21, EINVAL = 22, ENOSPC = 28, ERANGE = 34, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40,
        ENODATA = 61, EOPNOTSUPP = 95;

    public static string Message(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}

internal static class Signals
{
    public const int Kill = 9, Term = 15;
}
