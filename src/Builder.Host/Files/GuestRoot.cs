using Builder.Host.Native;

namespace Builder.Host.Files;

/// <summary>
/// The guest's root folder as a directory fd, and the one way to reach anything below it:
/// openat2(2) with RESOLVE_IN_ROOT, so that ".." and every symlink, absolute or relative, resolve
/// as they would inside the guest and never reach the host. Further calls use the *at variants
/// on a resolved parent with a single name, which cannot leave it either.
/// </summary>
internal sealed class GuestRoot : IDisposable
{
    private const ulong InRoot = ResolveFlags.InRoot | ResolveFlags.NoMagicLinks;

    /// <summary>
    /// A read-only fd of the root folder, opened with the root: syncfs through it reports every
    /// write-back error of the root filesystem since then (the kernel's errseq), not only those of
    /// its own flush. The O_PATH <see cref="Fd"/> cannot be synced.
    /// </summary>
    private readonly FileDescriptor _watch;

    private GuestRoot(FileDescriptor fd, string hostPath)
    {
        Fd = fd;
        HostPath = hostPath;
        _watch = Syscalls.OpenHost(hostPath, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow);
    }

    public FileDescriptor Fd { get; }

    /// <summary>Where the root is mounted on the host (for chroot and for records; never for resolving guest paths).</summary>
    public string HostPath { get; }

    public static GuestRoot Open(string hostPath) =>
        new(Syscalls.OpenHost(hostPath, OpenFlags.Path | OpenFlags.Directory | OpenFlags.NoFollow), hostPath);

    /// <summary>Opens a guest path, following symlinks inside the guest (unless flags say O_NOFOLLOW).</summary>
    public FileDescriptor Open(string path, int flags, uint mode = 0) =>
        Syscalls.Openat2(Fd, RelativeOf(path), flags, mode, InRoot);

    public FileDescriptor? TryOpen(string path, int flags, out int errno) =>
        Syscalls.TryOpenat2(Fd, RelativeOf(path), flags, 0, InRoot, out errno);

    /// <summary>An O_PATH fd of the folder holding the path's last name, or null when that folder is not there.</summary>
    public FileDescriptor? TryOpenParent(GuestPathParts parts, out int errno) =>
        TryOpen(parts.Parent, OpenFlags.Path | OpenFlags.Directory, out errno);

    public FileDescriptor OpenParent(GuestPathParts parts) =>
        TryOpenParent(parts, out var errno) ?? throw new NativeException(errno, "openat2");

    /// <summary>lstat of a guest path; null when nothing is there (or a parent is missing or not a folder).</summary>
    public FileStatus? Lstat(string path)
    {
        var parts = GuestPathParts.Of(path);
        if (parts.Name is null)
        {
            using var self = TryOpen(parts.Parent, OpenFlags.Path, out var selfErrno);
            return self is null ? Missing(selfErrno) : FileStatus.Of(self, "");
        }
        using var parent = TryOpenParent(parts, out var parentErrno);
        if (parent is null) return Missing(parentErrno);
        var status = FileStatus.TryOf(parent, parts.Name, out var errno);
        return status ?? Missing(errno);
    }

    /// <summary>syncfs on the root filesystem; fails if anything written to it since the root was opened did not reach its disk.</summary>
    public void SyncRootFilesystem()
    {
        if (LibC.Syncfs(_watch.Number) != 0) throw NativeException.Last("syncfs");
    }

    public void Dispose()
    {
        _watch.Dispose();
        Fd.Dispose();
    }

    private static FileStatus? Missing(int errno) =>
        errno is Errno.ENOENT or Errno.ENOTDIR ? null : throw new NativeException(errno, "lstat");

    private static string RelativeOf(string path)
    {
        GuestPathParts.Validate(path);
        var relative = path.TrimStart('/');
        return relative.Length == 0 ? "." : relative;
    }
}
