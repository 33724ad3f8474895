using System.Runtime.InteropServices;
using System.Text;

namespace Builder.Host.Native;

/// <summary>Throwing wrappers over <see cref="LibC"/>: every call either succeeds or throws a <see cref="NativeException"/>.</summary>
internal static unsafe class Syscalls
{
    /// <summary>openat2 is 437 on every 64-bit Linux architecture that uses the generic syscall table and on x86_64.</summary>
    private const long Openat2Number = 437;

    public static FileDescriptor Openat2(FileDescriptor directory, string path, int flags, uint mode, ulong resolve)
    {
        var fd = TryOpenat2(directory, path, flags, mode, resolve, out var errno);
        return fd ?? throw new NativeException(errno, "openat2");
    }

    /// <summary>openat2(2); retried on EAGAIN, which RESOLVE_IN_ROOT returns when a rename raced with the lookup.</summary>
    public static FileDescriptor? TryOpenat2(FileDescriptor directory, string path, int flags, uint mode, ulong resolve, out int errno)
    {
        var how = new LibC.OpenHow
        {
            Flags = (ulong)(uint)(flags | OpenFlags.CloseOnExec),
            Mode = (flags & (OpenFlags.Create)) != 0 ? mode : 0,
            Resolve = resolve,
        };
        for (var attempt = 0; ; attempt++)
        {
            var added = false;
            try
            {
                directory.DangerousAddRef(ref added);
                var fd = LibC.Openat2(Openat2Number, directory.Number, path, &how, (nuint)sizeof(LibC.OpenHow));
                if (fd >= 0)
                {
                    errno = 0;
                    return new FileDescriptor((int)fd);
                }
                errno = Marshal.GetLastPInvokeError();
            }
            finally
            {
                if (added) directory.DangerousRelease();
            }
            if (errno is not (Errno.EAGAIN or Errno.EINTR) || attempt >= 16) return null;
        }
    }

    public static FileDescriptor OpenHost(string path, int flags, uint mode = 0)
    {
        var fd = LibC.Open(path, flags | OpenFlags.CloseOnExec, mode);
        return fd >= 0 ? new FileDescriptor(fd) : throw NativeException.Last("open");
    }

    public static void Check(int result, string call)
    {
        if (result != 0) throw NativeException.Last(call);
    }

    public static byte[] ReadAll(FileDescriptor fd, long sizeHint, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(sizeHint is > 0 and < int.MaxValue ? (int)sizeHint : 0);
        var chunk = new byte[1 << 20];
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = Read(fd, chunk);
            if (read == 0) return buffer.ToArray();
            buffer.Write(chunk, 0, read);
        }
    }

    public static int Read(FileDescriptor fd, Span<byte> buffer)
    {
        fixed (byte* pointer = buffer)
        {
            while (true)
            {
                var read = LibC.Read(fd.Number, pointer, (nuint)buffer.Length);
                if (read >= 0) return (int)read;
                var errno = Marshal.GetLastPInvokeError();
                if (errno != Errno.EINTR) throw new NativeException(errno, "read");
            }
        }
    }

    /// <summary>Writes everything, in chunks of a MiB so that a cancelled session stops a long write quickly.</summary>
    public static void WriteAll(FileDescriptor fd, ReadOnlySpan<byte> content, CancellationToken cancellationToken)
    {
        fixed (byte* start = content)
        {
            var offset = 0;
            while (offset < content.Length)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var written = LibC.Write(fd.Number, start + offset, (nuint)Math.Min(content.Length - offset, 1 << 20));
                if (written < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == Errno.EINTR) continue;
                    throw new NativeException(errno, "write");
                }
                offset += (int)written;
            }
        }
    }

    public static string ReadLinkAt(FileDescriptor directory, string name)
    {
        for (var size = 256; ; size *= 2)
        {
            var buffer = new byte[size];
            nint length;
            fixed (byte* pointer = buffer) length = LibC.Readlinkat(directory.Number, name, pointer, (nuint)size);
            if (length < 0) throw NativeException.Last("readlinkat");
            if (length < size) return Encoding.UTF8.GetString(buffer, 0, (int)length);
        }
    }

    public static void SetTimes(FileDescriptor directory, string name, DateTimeOffset modified, bool noFollow)
    {
        const long UtimeNow = (1L << 30) - 1;
        var times = stackalloc LibC.Timespec[2];
        times[0] = new LibC.Timespec { Seconds = 0, Nanoseconds = UtimeNow };
        times[1] = new LibC.Timespec { Seconds = modified.ToUnixTimeSeconds(), Nanoseconds = 0 };
        // An empty name is the fd itself: futimens(2) (glibc's utimensat refuses a NULL name).
        if (name.Length == 0) Check(LibC.Futimens(directory.Number, times), "futimens");
        else Check(LibC.Utimensat(directory.Number, name, times, noFollow ? AtFlags.SymlinkNoFollow : 0), "utimensat");
    }
}
