using System.Runtime.InteropServices;
using Builder.Host.Files;
using Builder.Host.Native;

namespace Builder.Host.Mounting;

/// <summary>
/// Turns access-time updates off on every guest mount while the whole guest is read (a tree
/// listing), and back on after: on the session's relatime mounts (the kernel's default), reading
/// every file and folder would otherwise write new access times, and journal blocks, into the image.
/// </summary>
internal static class AccessTimes
{
    /// <summary>noatime on the root mount and every mount below it until disposed, then relatime again. Without mount_setattr (Linux before 5.12), nothing changes.</summary>
    public static IDisposable Off(GuestRoot root) =>
        Set(root, LibC.MountAttrNoAtime) ? new Restore(root) : new Restore(null);

    private static unsafe bool Set(GuestRoot root, ulong mode)
    {
        var attributes = new LibC.MountAttr { AttrSet = mode, AttrClear = LibC.MountAttrAtimeMask };
        var added = false;
        try
        {
            root.Fd.DangerousAddRef(ref added);
            if (LibC.MountSetattr(LibC.MountSetattrNumber, root.Fd.Number, "", (uint)AtFlags.EmptyPath | LibC.AtRecursive, &attributes,
                    (nuint)sizeof(LibC.MountAttr)) == 0)
                return true;
        }
        finally
        {
            if (added) root.Fd.DangerousRelease();
        }
        var errno = Marshal.GetLastPInvokeError();
        return errno == Errno.ENOSYS ? false : throw new NativeException(errno, "mount_setattr");
    }

    private sealed class Restore(GuestRoot? root) : IDisposable
    {
        public void Dispose()
        {
            if (root is not null) Set(root, LibC.MountAttrRelatime);
        }
    }
}
