using System.Runtime.InteropServices;

namespace Builder.Guestfs.CopyIn;

/// <summary>What a host path is, without following a symlink: statx(2), whose layout is the same on every architecture.</summary>
internal readonly record struct HostFileStatus(HostFileType Type, UnixFileMode Mode, DateTimeOffset Modified)
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1, StatxMode = 0x2, StatxMtime = 0x40;
    private const int ModeOffset = 28, MtimeOffset = 112, StatxSize = 256;

    public static unsafe HostFileStatus Of(string path)
    {
        var buffer = stackalloc byte[StatxSize];
        if (LibC.Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType | StatxMode | StatxMtime, buffer) != 0)
            throw new IOException($"statx {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        var mode = *(ushort*)(buffer + ModeOffset);
        var seconds = *(long*)(buffer + MtimeOffset);
        var type = (mode & 0xF000) switch
        {
            0x8000 => HostFileType.Regular,
            0x4000 => HostFileType.Directory,
            0xA000 => HostFileType.Symlink,
            _ => HostFileType.Other,
        };
        return new HostFileStatus(type, (UnixFileMode)(mode & 0xFFF), DateTimeOffset.FromUnixTimeSeconds(seconds));
    }
}

internal static unsafe partial class LibC
{
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);
}

internal enum HostFileType { Regular, Directory, Symlink, Other }
