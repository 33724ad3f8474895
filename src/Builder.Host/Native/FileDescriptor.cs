using System.Runtime.InteropServices;

namespace Builder.Host.Native;

/// <summary>An owned file descriptor (always opened with O_CLOEXEC, so no command inherits it).</summary>
internal sealed class FileDescriptor : SafeHandle
{
    public FileDescriptor(int fd) : base(-1, ownsHandle: true) => SetHandle(fd);

    public override bool IsInvalid => handle == -1;

    public int Number => (int)handle;

    /// <summary>The fd as a path through /proc: chmod, reopen and mount follow it to this very inode.</summary>
    public string ProcPath => $"/proc/self/fd/{Number}";

    /// <summary>Where the kernel says this fd is, as a host path (for records and for tools that take paths).</summary>
    public string HostPath()
    {
        var target = new FileInfo(ProcPath).LinkTarget ?? throw new IOException($"readlink {ProcPath} failed");
        return target.EndsWith(" (deleted)", StringComparison.Ordinal) ? throw new IOException($"{target}: deleted") : target;
    }

    protected override bool ReleaseHandle() => LibC.Close((int)handle) == 0;
}

/// <summary>A failed system call: errno and the libc message ("No such file or directory").</summary>
internal sealed class NativeException(int errno, string call) : Exception($"{call}: {Native.Errno.Message(errno)}")
{
    public int Errno { get; } = errno;

    public string Call { get; } = call;

    public string Description => Native.Errno.Message(Errno);

    public static NativeException Last(string call) => new(Marshal.GetLastPInvokeError(), call);
}
