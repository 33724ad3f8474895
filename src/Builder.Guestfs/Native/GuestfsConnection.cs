using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace Builder.Guestfs.Native;

/// <summary>
/// One libguestfs handle with a managed surface: each method makes one call, turns a failure into
/// <see cref="GuestfsException"/> and frees what libguestfs returned. Not thread-safe (neither is the
/// handle): callers serialize. Errors are read on the calling thread, where libguestfs keeps them.
/// </summary>
internal sealed unsafe partial class GuestfsConnection : IDisposable
{
    public const int ENOENT = 2;
    public const int ENOTDIR = 20;

    private readonly GuestfsHandle _handle;

    private GuestfsConnection(GuestfsHandle handle, GuestfsEventSink events)
    {
        _handle = handle;
        Events = events;
    }

    public GuestfsEventSink Events { get; }

    /// <summary>
    /// The handle, with libguestfs's error printing turned off for the calling thread: the error
    /// handler, like the last error, is per thread, so it is set before every call.
    /// </summary>
    private GuestfsHandle Handle
    {
        get
        {
            GuestfsNative.SetErrorHandler(_handle, IntPtr.Zero, IntPtr.Zero);
            return _handle;
        }
    }

    public static GuestfsConnection Create(GuestfsEventSink events)
    {
        var handle = GuestfsNative.Create();
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new GuestfsException("guestfs_create", "could not create a libguestfs handle", Marshal.GetLastPInvokeError());
        }
        GuestfsNative.SetErrorHandler(handle, IntPtr.Zero, IntPtr.Zero);
        var connection = new GuestfsConnection(handle, events);
        handle.EventSink = GCHandle.Alloc(events);
        delegate* unmanaged[Cdecl]<IntPtr, IntPtr, ulong, int, int, byte*, nuint, ulong*, nuint, void> callback = &GuestfsEventSink.OnEvent;
        if (GuestfsNative.SetEventCallback(handle, callback, (ulong)GuestfsEventSink.Subscribed, 0, GCHandle.ToIntPtr(handle.EventSink)) == -1)
        {
            var error = connection.Error("guestfs_set_event_callback");
            connection.Dispose();
            throw error;
        }
        return connection;
    }

    public void SetBackend(string backend) => Check(GuestfsNative.SetBackend(Handle, backend), "guestfs_set_backend");

    public void SetBackendSetting(string name, string value) =>
        Check(GuestfsNative.SetBackendSetting(Handle, name, value), "guestfs_set_backend_setting");

    public void SetTrace(bool on) => Check(GuestfsNative.SetTrace(Handle, on ? 1 : 0), "guestfs_set_trace");

    public void SetVerbose(bool on) => Check(GuestfsNative.SetVerbose(Handle, on ? 1 : 0), "guestfs_set_verbose");

    public bool GetTrace() => Check(GuestfsNative.GetTrace(Handle), "guestfs_get_trace") == 1;

    public void SetNetwork(bool on) => Check(GuestfsNative.SetNetwork(Handle, on ? 1 : 0), "guestfs_set_network");

    public void SetAutosync(bool on) => Check(GuestfsNative.SetAutosync(Handle, on ? 1 : 0), "guestfs_set_autosync");

    /// <summary>A writable drive passes discards through (discard=besteffort), so trimming the guest's filesystems frees blocks in the image.</summary>
    public void AddDrive(string path, string format, bool readOnly)
    {
        var formatUtf8 = Utf8StringMarshaller.ConvertToUnmanaged(format);
        var discardUtf8 = Utf8StringMarshaller.ConvertToUnmanaged("besteffort");
        try
        {
            var options = new AddDriveOptsArgv
            {
                Bitmask = AddDriveOptsArgv.ReadonlyBit | AddDriveOptsArgv.FormatBit | (readOnly ? 0 : AddDriveOptsArgv.DiscardBit),
                Readonly = readOnly ? 1 : 0,
                Format = formatUtf8,
                Discard = discardUtf8,
            };
            Check(GuestfsNative.AddDriveOptsArgv(Handle, path, &options), "guestfs_add_drive_opts");
        }
        finally
        {
            Utf8StringMarshaller.Free(discardUtf8);
            Utf8StringMarshaller.Free(formatUtf8);
        }
    }

    /// <summary>guestfs_config: one more qemu command-line parameter (with its value), before launch.</summary>
    public void Config(string parameter, string? value) => Check(GuestfsNative.Config(Handle, parameter, value), "guestfs_config");

    public void Launch() => Check(GuestfsNative.Launch(Handle), "guestfs_launch");

    public void Shutdown() => Check(GuestfsNative.Shutdown(Handle), "guestfs_shutdown");

    /// <summary>sync(2) in the appliance: every filesystem, and a flush of the disk, which makes qemu write the image's metadata.</summary>
    public void Sync() => Check(GuestfsNative.Sync(Handle), "guestfs_sync");

    public int GetPid() => Check(GuestfsNative.GetPid(Handle), "guestfs_get_pid");

    public string[] InspectOs() => NativeMemoryHelpers.TakeStringList(CheckList(GuestfsNative.InspectOs(Handle), "guestfs_inspect_os"));

    public string InspectGetType(string root) => TakeString(GuestfsNative.InspectGetType(Handle, root), "guestfs_inspect_get_type");

    public string InspectGetDistro(string root) => TakeString(GuestfsNative.InspectGetDistro(Handle, root), "guestfs_inspect_get_distro");

    public int InspectGetMajorVersion(string root) =>
        Check(GuestfsNative.InspectGetMajorVersion(Handle, root), "guestfs_inspect_get_major_version");

    public int InspectGetMinorVersion(string root) =>
        Check(GuestfsNative.InspectGetMinorVersion(Handle, root), "guestfs_inspect_get_minor_version");

    public string InspectGetPackageManagement(string root) =>
        TakeString(GuestfsNative.InspectGetPackageManagement(Handle, root), "guestfs_inspect_get_package_management");

    public string InspectGetArch(string root) => TakeString(GuestfsNative.InspectGetArch(Handle, root), "guestfs_inspect_get_arch");

    /// <summary>Mount point → device.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> InspectGetMountpoints(string root) =>
        NativeMemoryHelpers.TakeHashList(CheckList(GuestfsNative.InspectGetMountpoints(Handle, root), "guestfs_inspect_get_mountpoints"));

    /// <summary>Device → filesystem type ("ext4", "swap", "unknown", …).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ListFilesystems() =>
        NativeMemoryHelpers.TakeHashList(CheckList(GuestfsNative.ListFilesystems(Handle), "guestfs_list_filesystems"));

    public void Mount(string mountable, string mountpoint) => Check(GuestfsNative.Mount(Handle, mountable, mountpoint), "guestfs_mount");

    public StatNs Lstat(string path)
    {
        var stat = GuestfsNative.Lstatns(Handle, path);
        if (stat == null) throw Error("guestfs_lstatns");
        try { return *stat; }
        finally { GuestfsNative.FreeStatns(stat); }
    }

    /// <summary>stat(2) in the guest: follows symlinks, resolved inside the guest's root.</summary>
    public StatNs Stat(string path)
    {
        var stat = GuestfsNative.Statns(Handle, path);
        if (stat == null) throw Error("guestfs_statns");
        try { return *stat; }
        finally { GuestfsNative.FreeStatns(stat); }
    }

    public void Extlinux(string directory) => Check(GuestfsNative.Extlinux(Handle, directory), "guestfs_extlinux");

    public bool IsDir(string path) => Check(GuestfsNative.IsDir(Handle, path), "guestfs_is_dir") == 1;

    public void UmountAll() => Check(GuestfsNative.UmountAll(Handle), "guestfs_umount_all");

    public string Readlink(string path) => TakeString(GuestfsNative.Readlink(Handle, path), "guestfs_readlink");

    public byte[] ReadFile(string path)
    {
        nuint size;
        var content = GuestfsNative.ReadFile(Handle, path, &size);
        if (content == null) throw Error("guestfs_read_file");
        try { return new ReadOnlySpan<byte>(content, checked((int)size)).ToArray(); }
        finally { NativeMemory.Free(content); }
    }

    /// <summary>Up to count bytes from offset: one daemon call, unlike guestfs_read_file (a download), for small reads.</summary>
    public byte[] Pread(string path, int count, long offset)
    {
        nuint size;
        var content = GuestfsNative.Pread(Handle, path, count, offset, &size);
        if (content == null) throw Error("guestfs_pread");
        try { return new ReadOnlySpan<byte>(content, checked((int)size)).ToArray(); }
        finally { NativeMemory.Free(content); }
    }

    public void Write(string path, ReadOnlySpan<byte> content)
    {
        byte empty = 0;
        fixed (byte* pinned = content)
            Check(GuestfsNative.Write(Handle, path, pinned == null ? &empty : pinned, (nuint)content.Length), "guestfs_write");
    }

    public void WriteAppend(string path, ReadOnlySpan<byte> content)
    {
        byte empty = 0;
        fixed (byte* pinned = content)
            Check(GuestfsNative.WriteAppend(Handle, path, pinned == null ? &empty : pinned, (nuint)content.Length), "guestfs_write_append");
    }

    public void MkdirP(string path) => Check(GuestfsNative.MkdirP(Handle, path), "guestfs_mkdir_p");

    public void Chmod(string path, int mode) => Check(GuestfsNative.Chmod(Handle, mode, path), "guestfs_chmod");

    public void Lchown(string path, int uid, int gid) => Check(GuestfsNative.Lchown(Handle, uid, gid, path), "guestfs_lchown");

    public void LnS(string target, string linkName) => Check(GuestfsNative.LnS(Handle, target, linkName), "guestfs_ln_s");

    /// <summary>glob_expand without a trailing slash on directories.</summary>
    public string[] GlobExpand(string pattern)
    {
        var options = new GlobExpandOptsArgv { Bitmask = GlobExpandOptsArgv.DirectorySlashBit, DirectorySlash = 0 };
        return NativeMemoryHelpers.TakeStringList(CheckList(GuestfsNative.GlobExpandOptsArgv(Handle, pattern, &options), "guestfs_glob_expand"));
    }

    public void RmF(string path) => Check(GuestfsNative.RmF(Handle, path), "guestfs_rm_f");

    public void RmRf(string path) => Check(GuestfsNative.RmRf(Handle, path), "guestfs_rm_rf");

    public void Upload(string hostPath, string guestPath) => Check(GuestfsNative.Upload(Handle, hostPath, guestPath), "guestfs_upload");

    /// <summary>guestfs_tar_out: the guest folder's tree as an uncompressed host tar file, with numeric owners and xattrs.</summary>
    public void TarOut(string directory, string tarFile)
    {
        var options = new TarOutOptsArgv { Bitmask = TarOutOptsArgv.NumericOwnerBit | TarOutOptsArgv.XattrsBit, NumericOwner = 1, Xattrs = 1 };
        Check(GuestfsNative.TarOutOptsArgv(Handle, directory, tarFile, &options), "guestfs_tar_out");
    }

    /// <summary>guestfs_tar_in: unpack an uncompressed host tar file into a guest folder (as root: owners and modes as archived).</summary>
    public void TarIn(string tarFile, string directory)
    {
        var options = new TarInOptsArgv();
        Check(GuestfsNative.TarInOptsArgv(Handle, tarFile, directory, &options), "guestfs_tar_in");
    }

    /// <summary>guestfs_sh: /bin/sh -c COMMAND chrooted into the guest; its standard output. A non-zero exit is an error.</summary>
    public string Sh(string command) => TakeString(GuestfsNative.Sh(Handle, command), "guestfs_sh");

    public string[] TailN(int lines, string path) =>
        NativeMemoryHelpers.TakeStringList(CheckList(GuestfsNative.TailN(Handle, lines, path), "guestfs_tail_n"));

    /// <summary>umount -l: detach the filesystem now, even when something still uses it.</summary>
    public void UmountLazy(string path)
    {
        var options = new UmountOptsArgv { Bitmask = UmountOptsArgv.LazyUnmountBit, LazyUnmount = 1 };
        Check(GuestfsNative.UmountOptsArgv(Handle, path, &options), "guestfs_umount");
    }

    public void Rmdir(string path) => Check(GuestfsNative.Rmdir(Handle, path), "guestfs_rmdir");

    /// <summary>A round trip to the daemon; on the way, libguestfs reads whatever the appliance console has sent.</summary>
    public void PingDaemon() => Check(GuestfsNative.PingDaemon(Handle), "guestfs_ping_daemon");

    public void Dispose() => _handle.Dispose();

    private int Check(int result, string function) => result == -1 ? throw Error(function) : result;

    private byte** CheckList(byte** result, string function) => result == null ? throw Error(function) : result;

    private string TakeString(byte* result, string function) =>
        result == null ? throw Error(function) : NativeMemoryHelpers.TakeString(result);

    private GuestfsException Error(string function)
    {
        var message = GuestfsNative.LastError(_handle);
        var text = message == null ? "unknown error" : Marshal.PtrToStringUTF8((IntPtr)message) ?? "unknown error";
        return new GuestfsException(function, text, GuestfsNative.LastErrno(_handle));
    }
}
