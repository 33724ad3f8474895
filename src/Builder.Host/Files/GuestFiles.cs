using Builder.Guests;
using Builder.Host.Native;

namespace Builder.Host.Files;

/// <summary>
/// The file operations of <see cref="IGuest"/> on a mounted guest, with the libguestfs backend's
/// semantics, every path resolved through <see cref="GuestRoot"/>. Only regular files are read or
/// written: a device node or FIFO in the guest is never opened on the host. Not thread-safe: the
/// session serializes calls. Errors are <see cref="NativeException"/>s, which the session names.
/// </summary>
internal sealed class GuestFiles(GuestRoot root)
{
    private const uint NewFileMode = 0x1A4; // 0644
    private const uint NewFolderMode = 0x1ED; // 0755

    public GuestStat? Lstat(string path) => root.Lstat(path)?.ToGuestStat();

    public string ReadLink(string path)
    {
        var parts = GuestPathParts.Of(path);
        if (parts.Name is null) throw new NativeException(Errno.EINVAL, "readlink");
        using var parent = root.OpenParent(parts);
        return Syscalls.ReadLinkAt(parent, parts.Name);
    }

    public byte[] ReadFile(string path, CancellationToken cancellationToken)
    {
        using var located = root.Open(path, OpenFlags.Path);
        var status = RequireRegular(located, "read");
        using var file = Syscalls.OpenHost(located.ProcPath, OpenFlags.ReadOnly | OpenFlags.NoCtty | OpenFlags.NonBlock);
        return Syscalls.ReadAll(file, status.Size, cancellationToken);
    }

    /// <summary>Create or truncate (or append to) a file, following symlinks inside the guest; a new file is 0644 root:root.</summary>
    public void WriteFile(string path, ReadOnlySpan<byte> content, bool append, CancellationToken cancellationToken)
    {
        using var file = OpenForWriting(path, append);
        Syscalls.WriteAll(file, content, cancellationToken);
    }

    /// <summary>Copies a host file's bytes into a guest file opened as <see cref="WriteFile"/> opens it.</summary>
    public void Upload(string hostPath, string guestPath, CancellationToken cancellationToken)
    {
        using var source = new FileStream(hostPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        using var file = OpenForWriting(guestPath, append: false);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = source.Read(buffer)) > 0) Syscalls.WriteAll(file, buffer.AsSpan(0, read), cancellationToken);
    }

    /// <summary>mkdir -p: every missing folder is created 0755 (whatever the umask); an existing folder, or a symlink to one, is fine.</summary>
    public void Mkdir(string path)
    {
        GuestPathParts.Validate(path);
        var components = GuestPathParts.Components(path);
        var prefix = "";
        foreach (var component in components)
        {
            prefix += "/" + component;
            using var existing = root.TryOpen(prefix, OpenFlags.Path | OpenFlags.Directory, out var errno);
            if (existing is not null) continue;
            if (errno != Errno.ENOENT || component == "..") throw new NativeException(errno, "mkdir");
            var parts = GuestPathParts.Of(prefix);
            using var parent = root.OpenParent(parts);
            Syscalls.Check(LibC.Mkdirat(parent.Number, parts.Name!, NewFolderMode), "mkdir");
            using var created = Syscalls.Openat2(parent, parts.Name!, OpenFlags.Path | OpenFlags.Directory | OpenFlags.NoFollow, 0,
                ResolveFlags.Beneath | ResolveFlags.NoSymlinks);
            Syscalls.Check(LibC.Chmod(created.ProcPath, NewFolderMode), "chmod");
        }
    }

    /// <summary>chmod(2): follows a symlink (inside the guest) to what it points at.</summary>
    public void Chmod(string path, int mode)
    {
        using var target = root.Open(path, OpenFlags.Path);
        if (FileStatus.Of(target, "").Type == GuestFileType.Symlink) throw new NativeException(Errno.ELOOP, "chmod");
        Syscalls.Check(LibC.Chmod(target.ProcPath, (uint)(mode & 0xFFF)), "chmod");
    }

    /// <summary>lchown(2): the entry itself, a symlink included.</summary>
    public void Chown(string path, int uid, int gid)
    {
        var parts = GuestPathParts.Of(path);
        if (parts.Name is null)
        {
            using var self = root.Open(parts.Parent, OpenFlags.Path);
            Syscalls.Check(LibC.Fchownat(self.Number, "", uid, gid, AtFlags.EmptyPath | AtFlags.SymlinkNoFollow), "chown");
            return;
        }
        using var parent = root.OpenParent(parts);
        Syscalls.Check(LibC.Fchownat(parent.Number, parts.Name, uid, gid, AtFlags.SymlinkNoFollow), "chown");
    }

    /// <summary>Replaces a file or symlink at linkPath (never following it); a folder there is an error.</summary>
    public void Symlink(string target, string linkPath)
    {
        if (target.Length == 0 || target.Contains('\0', StringComparison.Ordinal)) throw new NativeException(Errno.EINVAL, "symlink");
        var parts = GuestPathParts.Of(linkPath);
        if (parts.Name is null) throw new DirectoryInTheWayException();
        using var parent = root.OpenParent(parts);
        var existing = FileStatus.TryOf(parent, parts.Name, out var errno);
        if (existing is null && errno != Errno.ENOENT) throw new NativeException(errno, "lstat");
        if (existing?.Type == GuestFileType.Directory) throw new DirectoryInTheWayException();
        if (existing is not null) Syscalls.Check(LibC.Unlinkat(parent.Number, parts.Name, 0), "unlink");
        Syscalls.Check(LibC.Symlinkat(target, parent.Number, parts.Name), "symlink");
    }

    private FileDescriptor OpenForWriting(string path, bool append)
    {
        GuestPathParts.Validate(path);
        var mode = OpenFlags.WriteOnly | OpenFlags.NoCtty | OpenFlags.NonBlock | (append ? OpenFlags.Append : OpenFlags.Truncate);
        using (var existing = root.TryOpen(path, OpenFlags.Path, out var errno))
        {
            if (existing is not null)
            {
                RequireRegular(existing, append ? "append" : "write");
                return Syscalls.OpenHost(existing.ProcPath, mode);
            }
            if (errno != Errno.ENOENT) throw new NativeException(errno, "open");
        }
        // Missing, or a dangling symlink: O_CREAT creates the target, resolved inside the guest like the rest.
        var file = root.Open(path, mode | OpenFlags.Create, NewFileMode);
        try
        {
            RequireRegular(file, "create");
            Syscalls.Check(LibC.Fchownat(file.Number, "", 0, 0, AtFlags.EmptyPath), "chown");
            Syscalls.Check(LibC.Chmod(file.ProcPath, NewFileMode), "chmod");
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static FileStatus RequireRegular(FileDescriptor fd, string operation)
    {
        var status = FileStatus.Of(fd, "");
        return status.Type switch
        {
            GuestFileType.Regular => status,
            GuestFileType.Directory => throw new NativeException(Errno.EISDIR, operation),
            _ => throw new NotARegularFileException(),
        };
    }
}

/// <summary>SymlinkAsync found a folder at the link's path.</summary>
internal sealed class DirectoryInTheWayException() : Exception("a directory is in the way");

/// <summary>A device node, FIFO or socket in the guest where a file is read or written: never opened on the host.</summary>
internal sealed class NotARegularFileException() : Exception("not a regular file (devices, FIFOs and sockets in the guest are not opened)");
