using System.Runtime.InteropServices;

namespace Builder.Host.Native;

/// <summary>mount_setattr(2): change a mount's (and its submounts') flags, here its access-time mode.</summary>
internal static unsafe partial class LibC
{
    /// <summary>mount_setattr is 442 on every Linux architecture (the unified syscall numbers since 5.x).</summary>
    internal const long MountSetattrNumber = 442;

    internal const uint AtRecursive = 0x8000;
    internal const ulong MountAttrNoAtime = 0x10, MountAttrRelatime = 0, MountAttrAtimeMask = 0x70;

    /// <summary>struct mount_attr from linux/mount.h.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MountAttr
    {
        public ulong AttrSet;
        public ulong AttrClear;
        public ulong Propagation;
        public ulong UsernsFd;
    }

    [LibraryImport(Library, EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial long MountSetattr(long number, int dirfd, string path, uint flags, MountAttr* attr, nuint size);
}
