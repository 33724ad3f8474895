using Builder.Guests;

namespace Builder.Host.Native;

/// <summary>statx(2) of an entry: type, permission bits, owner, size, device, modification time.</summary>
/// <param name="Format">The mode's file type bits (S_IFMT: 0x8000 a regular file, 0x2000 a character device, …).</param>
/// <param name="Inode">The inode number on <paramref name="Device"/>.</param>
/// <param name="Links">How many names the inode has (hard links).</param>
/// <param name="RawDevice">What a device node stands for, as "major:minor"; null for anything else.</param>
/// <param name="Accessed">The access time, in whole seconds since 1970.</param>
/// <param name="Changed">The inode change time (ctime), in whole seconds since 1970.</param>
internal readonly record struct FileStatus(
    GuestFileType Type, int Mode, int Uid, int Gid, long Size, ulong Device, DateTimeOffset Modified,
    int Format = 0, ulong Inode = 0, uint Links = 0, string? RawDevice = null, long Accessed = 0, long Changed = 0)
{
    public const int CharacterDevice = 0x2000, BlockDevice = 0x6000, Fifo = 0x1000, Socket = 0xC000;

    private const uint BasicStats = 0x7FF;
    private const int StatxSize = 256;

    public GuestStat ToGuestStat() => new(Type, Mode, Uid, Gid, Size);

    /// <summary>The entry <paramref name="name"/> in <paramref name="directory"/> itself (a symlink is not followed); "" is the fd itself.</summary>
    public static FileStatus Of(FileDescriptor directory, string name) =>
        TryOf(directory, name, out var errno) ?? throw new NativeException(errno, "statx");

    public static FileStatus? TryOf(FileDescriptor directory, string name, out int errno) =>
        TryOf(directory.Number, name, AtFlags.SymlinkNoFollow | (name.Length == 0 ? AtFlags.EmptyPath : 0), out errno);

    /// <summary>A host path, not followed when it is a symlink.</summary>
    public static FileStatus OfHostPath(string path) =>
        TryOf(AtFlags.CurrentDirectory, path, AtFlags.SymlinkNoFollow, out var errno) ?? throw new NativeException(errno, "statx");

    private static unsafe FileStatus? TryOf(int directory, string name, int flags, out int errno)
    {
        var buffer = stackalloc byte[StatxSize];
        if (LibC.Statx(directory, name, flags, BasicStats, buffer) != 0)
        {
            errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            return null;
        }
        errno = 0;
        var mode = *(ushort*)(buffer + 28);
        var type = (mode & 0xF000) switch
        {
            0x8000 => GuestFileType.Regular,
            0x4000 => GuestFileType.Directory,
            0xA000 => GuestFileType.Symlink,
            _ => GuestFileType.Other,
        };
        var device = ((ulong)*(uint*)(buffer + 136) << 32) | *(uint*)(buffer + 140);
        var modified = DateTimeOffset.FromUnixTimeSeconds(*(long*)(buffer + 112));
        var format = mode & 0xF000;
        var rawDevice = format is CharacterDevice or BlockDevice ? $"{*(uint*)(buffer + 128)}:{*(uint*)(buffer + 132)}" : null;
        return new FileStatus(type, mode & 0xFFF, *(int*)(buffer + 20), *(int*)(buffer + 24), *(long*)(buffer + 40), device, modified,
            format, *(ulong*)(buffer + 32), *(uint*)(buffer + 16), rawDevice, *(long*)(buffer + 64), *(long*)(buffer + 96));
    }
}
