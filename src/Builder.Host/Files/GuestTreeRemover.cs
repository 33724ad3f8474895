using Builder.Guests;
using Builder.Host.Native;

namespace Builder.Host.Files;

/// <summary>
/// rm -rf of one guest path: the entry itself is never followed when it is a symlink, and a folder
/// is emptied through fds opened with O_NOFOLLOW one name at a time, so nothing outside it is touched.
/// </summary>
internal static class GuestTreeRemover
{
    public static void Delete(GuestRoot root, string path, CancellationToken cancellationToken)
    {
        var parts = GuestPathParts.Of(path);
        if (parts.Name is null) throw new NativeException(Errno.EINVAL, "delete");
        using var parent = root.TryOpenParent(parts, out var parentErrno);
        if (parent is null)
        {
            if (parentErrno is Errno.ENOENT or Errno.ENOTDIR) return;
            throw new NativeException(parentErrno, "delete");
        }
        RemoveEntry(parent, parts.Name, cancellationToken);
    }

    /// <summary>Removes one name in a folder: a folder with everything in it, or anything else; a missing name is fine.</summary>
    public static void RemoveEntry(FileDescriptor folder, string name, CancellationToken cancellationToken)
    {
        var status = FileStatus.TryOf(folder, name, out var errno);
        if (status is null)
        {
            if (errno == Errno.ENOENT) return;
            throw new NativeException(errno, "lstat");
        }
        if (status.Value.Type == GuestFileType.Directory)
        {
            using (var child = Syscalls.Openat2(folder, name, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow, 0,
                       ResolveFlags.Beneath | ResolveFlags.NoSymlinks))
            {
                Empty(child, cancellationToken);
            }
            Syscalls.Check(LibC.Unlinkat(folder.Number, name, AtFlags.RemoveDirectory), "rmdir");
        }
        else
        {
            Syscalls.Check(LibC.Unlinkat(folder.Number, name, 0), "unlink");
        }
    }

    private static void Empty(FileDescriptor folder, CancellationToken cancellationToken)
    {
        foreach (var name in Names(folder))
        {
            cancellationToken.ThrowIfCancellationRequested();
            RemoveEntry(folder, name, cancellationToken);
        }
    }

    /// <summary>The names in an open folder (read through its /proc/self/fd link, which is that very folder).</summary>
    public static IReadOnlyList<string> Names(FileDescriptor folder) =>
        Directory.EnumerateFileSystemEntries(folder.ProcPath)
            .Select(p => Path.GetFileName(p))
            .Order(StringComparer.Ordinal)
            .ToList();
}
