using System.Security.Cryptography;
using Builder.Guests;
using Builder.Host.Native;

namespace Builder.Host.Files;

/// <summary>
/// <see cref="IGuest.TreeAsync"/> on the host: every entry below the guest root, walked one name at
/// a time through fds opened beneath their folder with no symlink followed, so nothing outside the
/// guest is ever reached. The caller turns access times off on the mounts meanwhile
/// (<see cref="Mounting.AccessTimes"/>); files are read with O_NOATIME too. The content of a file
/// with several names is hashed once. Names are read as UTF-8; a name that is not valid UTF-8
/// cannot be opened again by its decoded form, and is left out.
/// </summary>
internal sealed class GuestTreeWalker(GuestRoot root, CancellationToken cancellationToken)
{
    private const ulong Beneath = ResolveFlags.Beneath | ResolveFlags.NoSymlinks;

    private readonly List<GuestTreeEntry> _entries = [];
    private readonly Dictionary<(ulong Device, ulong Inode), string> _hashed = [];
    private readonly byte[] _buffer = new byte[1 << 20];

    public static IReadOnlyList<GuestTreeEntry> Walk(GuestRoot root, CancellationToken cancellationToken) =>
        new GuestTreeWalker(root, cancellationToken).Walk();

    private List<GuestTreeEntry> Walk()
    {
        using var top = root.Open("/", OpenFlags.ReadOnly | OpenFlags.Directory);
        var status = FileStatus.Of(top, "");
        _entries.Add(Entry("/", status, null, null, top.ProcPath + "/."));
        WalkFolder(top, "/");
        _entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return _entries;
    }

    private void WalkFolder(FileDescriptor folder, string path)
    {
        foreach (var name in GuestTreeRemover.Names(folder))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (FileStatus.TryOf(folder, name, out var errno) is not { } status)
            {
                if (errno == Errno.ENOENT) continue;
                throw new NativeException(errno, "statx");
            }
            if (status.Format == FileStatus.Socket) continue;
            var child = GuestTreeEntry.Child(path, name);
            var at = $"{folder.ProcPath}/{name}";
            switch (status.Type)
            {
                case GuestFileType.Directory:
                    using (var sub = Syscalls.Openat2(folder, name, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow, 0, Beneath))
                    {
                        _entries.Add(Entry(child, status, null, null, at));
                        WalkFolder(sub, child);
                    }
                    break;
                case GuestFileType.Regular:
                    _entries.Add(Entry(child, status, Hash(folder, name, status), null, at));
                    break;
                case GuestFileType.Symlink:
                    _entries.Add(Entry(child, status, null, Syscalls.ReadLinkAt(folder, name), at));
                    break;
                default:
                    _entries.Add(Entry(child, status, null, null, at));
                    break;
            }
        }
    }

    private static GuestTreeEntry Entry(string path, FileStatus status, string? sha256, string? target, string at) =>
        new(path, TypeOf(status), status.Mode, status.Uid, status.Gid, status.Type == GuestFileType.Regular ? status.Size : 0,
            sha256, target, status.RawDevice, status.Modified.ToUnixTimeSeconds(), EntryXattrs.Read(at));

    private static GuestTreeEntryType TypeOf(FileStatus status) => status.Format switch
    {
        0x8000 => GuestTreeEntryType.File,
        0x4000 => GuestTreeEntryType.Directory,
        0xA000 => GuestTreeEntryType.Symlink,
        FileStatus.CharacterDevice => GuestTreeEntryType.CharDevice,
        FileStatus.BlockDevice => GuestTreeEntryType.BlockDevice,
        _ => GuestTreeEntryType.Fifo,
    };

    private string Hash(FileDescriptor folder, string name, FileStatus status)
    {
        var key = (status.Device, status.Inode);
        if (status.Links > 1 && _hashed.TryGetValue(key, out var known)) return known;
        var flags = OpenFlags.ReadOnly | OpenFlags.NoFollow | OpenFlags.NoCtty | OpenFlags.NonBlock;
        using var file = Syscalls.TryOpenat2(folder, name, flags | OpenFlags.NoAtime, 0, Beneath, out var errno)
                         ?? (errno == Errno.EPERM ? Syscalls.Openat2(folder, name, flags, 0, Beneath) : throw new NativeException(errno, "openat2"));
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        int read;
        while ((read = Syscalls.Read(file, _buffer)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            sha256.AppendData(_buffer, 0, read);
        }
        var hex = Convert.ToHexStringLower(sha256.GetHashAndReset());
        if (status.Links > 1) _hashed[key] = hex;
        return hex;
    }
}
