using Builder.Guests;
using Builder.Host.Native;

namespace Builder.Host.Files;

/// <summary>
/// Copies a host folder's contents into a guest folder as guestfs_tar_in of a tar of it does:
/// folders, regular files and symlinks (as symlinks) with their permission bits and modification
/// times, all owned by root. What is in the way is replaced as tar replaces it (a file or symlink
/// is removed first, an existing folder is merged into), and every guest entry is reached one name
/// at a time with O_NOFOLLOW, so a guest symlink is never followed. The folder itself keeps its mode.
/// </summary>
internal static class GuestCopyIn
{
    private const ulong OneName = ResolveFlags.Beneath | ResolveFlags.NoSymlinks;

    public static void Copy(GuestRoot root, string hostFolder, string guestFolder, CancellationToken cancellationToken)
    {
        using var target = root.TryOpen(guestFolder, OpenFlags.ReadOnly | OpenFlags.Directory, out var errno);
        if (target is null)
        {
            if (errno is Errno.ENOENT or Errno.ENOTDIR) throw new MissingGuestFolderException();
            throw new NativeException(errno, "open");
        }
        CopyChildren(hostFolder, target, cancellationToken);
    }

    private static void CopyChildren(string hostFolder, FileDescriptor guest, CancellationToken cancellationToken)
    {
        foreach (var hostPath in HostEntries(hostFolder))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(hostPath);
            var status = HostStatus(hostPath);
            switch (status.Type)
            {
                case GuestFileType.Directory:
                    using (var folder = EnsureFolder(guest, name))
                    {
                        CopyChildren(hostPath, folder, cancellationToken);
                        Syscalls.Check(LibC.Fchownat(folder.Number, "", 0, 0, AtFlags.EmptyPath), "chown");
                        Syscalls.Check(LibC.Chmod(folder.ProcPath, (uint)status.Mode), "chmod");
                        Syscalls.SetTimes(folder, "", status.Modified, noFollow: false);
                    }
                    break;
                case GuestFileType.Regular:
                    ClearWay(guest, name);
                    using (var file = Syscalls.Openat2(guest, name, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive | OpenFlags.NoFollow,
                               0x180, OneName))
                    {
                        CopyBytes(hostPath, file, cancellationToken);
                        Syscalls.Check(LibC.Fchownat(file.Number, "", 0, 0, AtFlags.EmptyPath), "chown");
                        Syscalls.Check(LibC.Chmod(file.ProcPath, (uint)status.Mode), "chmod");
                        Syscalls.SetTimes(file, "", status.Modified, noFollow: false);
                    }
                    break;
                case GuestFileType.Symlink:
                    ClearWay(guest, name);
                    var target = new FileInfo(hostPath).LinkTarget ?? throw new HostFolderException($"readlink {hostPath} failed");
                    Syscalls.Check(LibC.Symlinkat(target, guest.Number, name), "symlink");
                    Syscalls.Check(LibC.Fchownat(guest.Number, name, 0, 0, AtFlags.SymlinkNoFollow), "chown");
                    Syscalls.SetTimes(guest, name, status.Modified, noFollow: true);
                    break;
                default:
                    throw new HostFolderException($"{hostPath} is not a file, folder or symlink (devices, sockets and FIFOs are not copied)");
            }
        }
    }

    /// <summary>The guest folder for a host folder: kept when it is one (not a symlink to one), else made (0700 until its mode is set).</summary>
    private static FileDescriptor EnsureFolder(FileDescriptor parent, string name)
    {
        var existing = FileStatus.TryOf(parent, name, out var errno);
        if (existing is null && errno != Errno.ENOENT) throw new NativeException(errno, "lstat");
        if (existing is { Type: not GuestFileType.Directory }) Syscalls.Check(LibC.Unlinkat(parent.Number, name, 0), "unlink");
        if (existing is not { Type: GuestFileType.Directory }) Syscalls.Check(LibC.Mkdirat(parent.Number, name, 0x1C0), "mkdir");
        return Syscalls.Openat2(parent, name, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow, 0, OneName);
    }

    /// <summary>Removes a file or symlink where a file or symlink goes; a folder there is an error, as with tar.</summary>
    private static void ClearWay(FileDescriptor parent, string name)
    {
        var existing = FileStatus.TryOf(parent, name, out var errno);
        if (existing is null)
        {
            if (errno == Errno.ENOENT) return;
            throw new NativeException(errno, "lstat");
        }
        if (existing.Value.Type == GuestFileType.Directory) throw new NativeException(Errno.EISDIR, name);
        Syscalls.Check(LibC.Unlinkat(parent.Number, name, 0), "unlink");
    }

    private static void CopyBytes(string hostPath, FileDescriptor file, CancellationToken cancellationToken)
    {
        try
        {
            using var source = new FileStream(hostPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            var buffer = new byte[1 << 20];
            int read;
            while ((read = source.Read(buffer)) > 0) Syscalls.WriteAll(file, buffer.AsSpan(0, read), cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HostFolderException($"could not read the host folder: {e.Message}", e);
        }
    }

    private static IEnumerable<string> HostEntries(string folder)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HostFolderException($"could not read the host folder: {e.Message}", e);
        }
    }

    private static FileStatus HostStatus(string path)
    {
        try
        {
            return FileStatus.OfHostPath(path);
        }
        catch (NativeException e)
        {
            throw new HostFolderException($"could not read the host folder: statx {path}: {e.Description}", e);
        }
    }
}

/// <summary>The guest folder to copy into is not there.</summary>
internal sealed class MissingGuestFolderException() : Exception("no such folder in the guest");

/// <summary>The host folder could not be read, or holds what cannot be copied.</summary>
internal sealed class HostFolderException(string message, Exception? inner = null) : Exception(message, inner);
