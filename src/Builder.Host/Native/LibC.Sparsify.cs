using System.Runtime.InteropServices;

namespace Builder.Host.Native;

/// <summary>FITRIM (discard a mounted filesystem's unused blocks, as fstrim(8) does) and syncfs.</summary>
internal static unsafe partial class LibC
{
    /// <summary>_IOWR('X', 121, struct fstrim_range) from linux/fs.h.</summary>
    internal const ulong FITRIM = 0xC0185879;

    /// <summary>struct fstrim_range: the range to trim in, the bytes trimmed out (in Length).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct FstrimRange
    {
        public ulong Start;
        public ulong Length;
        public ulong MinimumLength;
    }

    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(int fd, ulong request, FstrimRange* range);

    [LibraryImport(Library, EntryPoint = "syncfs", SetLastError = true)]
    internal static partial int Syncfs(int fd);
}
