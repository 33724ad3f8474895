using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Builder.Guestfs.Native;

/// <summary>
/// P/Invoke declarations for the parts of libguestfs.so.0 that Builder uses, as declared in guestfs.h.
/// Returned strings, string lists and structs are malloc'd by libguestfs and freed by <see cref="NativeMemoryHelpers"/>.
/// </summary>
internal static unsafe partial class GuestfsNative
{
    private const string Library = "libguestfs.so.0";

    [LibraryImport(Library, EntryPoint = "guestfs_create")]
    internal static partial GuestfsHandle Create();

    [LibraryImport(Library, EntryPoint = "guestfs_close")]
    internal static partial void Close(IntPtr g);

    [LibraryImport(Library, EntryPoint = "guestfs_last_error")]
    internal static partial byte* LastError(GuestfsHandle g);

    [LibraryImport(Library, EntryPoint = "guestfs_last_errno")]
    internal static partial int LastErrno(GuestfsHandle g);

    [LibraryImport(Library, EntryPoint = "guestfs_set_error_handler")]
    internal static partial void SetErrorHandler(GuestfsHandle g, IntPtr callback, IntPtr opaque);

    /// <summary>For use while releasing the handle, when the SafeHandle can no longer be marshalled.</summary>
    [LibraryImport(Library, EntryPoint = "guestfs_set_error_handler")]
    internal static partial void SetErrorHandler(IntPtr g, IntPtr callback, IntPtr opaque);

    [LibraryImport(Library, EntryPoint = "guestfs_set_event_callback")]
    internal static partial int SetEventCallback(
        GuestfsHandle g,
        delegate* unmanaged[Cdecl]<IntPtr, IntPtr, ulong, int, int, byte*, nuint, ulong*, nuint, void> callback,
        ulong eventBitmask,
        int flags,
        IntPtr opaque);

    [LibraryImport(Library, EntryPoint = "guestfs_set_backend", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int SetBackend(GuestfsHandle g, string backend);

    [LibraryImport(Library, EntryPoint = "guestfs_set_backend_setting", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int SetBackendSetting(GuestfsHandle g, string name, string value);

    [LibraryImport(Library, EntryPoint = "guestfs_set_trace")]
    internal static partial int SetTrace(GuestfsHandle g, int trace);

    [LibraryImport(Library, EntryPoint = "guestfs_set_verbose")]
    internal static partial int SetVerbose(GuestfsHandle g, int verbose);

    [LibraryImport(Library, EntryPoint = "guestfs_get_trace")]
    internal static partial int GetTrace(GuestfsHandle g);

    [LibraryImport(Library, EntryPoint = "guestfs_set_network")]
    internal static partial int SetNetwork(GuestfsHandle g, int network);

    [LibraryImport(Library, EntryPoint = "guestfs_set_autosync")]
    internal static partial int SetAutosync(GuestfsHandle g, int autosync);

    [LibraryImport(Library, EntryPoint = "guestfs_add_drive_opts_argv", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int AddDriveOptsArgv(GuestfsHandle g, string filename, AddDriveOptsArgv* optargs);

    [LibraryImport(Library, EntryPoint = "guestfs_launch")]
    internal static partial int Launch(GuestfsHandle g);

    [LibraryImport(Library, EntryPoint = "guestfs_sync")]
    internal static partial int Sync(GuestfsHandle g);

    [LibraryImport(Library, EntryPoint = "guestfs_shutdown")]
    internal static partial int Shutdown(GuestfsHandle g);

    [LibraryImport(Library, EntryPoint = "guestfs_get_pid")]
    internal static partial int GetPid(GuestfsHandle g);

    [LibraryImport(Library, EntryPoint = "guestfs_inspect_os")]
    internal static partial byte** InspectOs(GuestfsHandle g);

    [LibraryImport(Library, EntryPoint = "guestfs_inspect_get_type", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte* InspectGetType(GuestfsHandle g, string root);

    [LibraryImport(Library, EntryPoint = "guestfs_inspect_get_distro", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte* InspectGetDistro(GuestfsHandle g, string root);

    [LibraryImport(Library, EntryPoint = "guestfs_inspect_get_major_version", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int InspectGetMajorVersion(GuestfsHandle g, string root);

    [LibraryImport(Library, EntryPoint = "guestfs_inspect_get_minor_version", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int InspectGetMinorVersion(GuestfsHandle g, string root);

    [LibraryImport(Library, EntryPoint = "guestfs_inspect_get_package_management", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte* InspectGetPackageManagement(GuestfsHandle g, string root);

    [LibraryImport(Library, EntryPoint = "guestfs_inspect_get_arch", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte* InspectGetArch(GuestfsHandle g, string root);

    [LibraryImport(Library, EntryPoint = "guestfs_inspect_get_mountpoints", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte** InspectGetMountpoints(GuestfsHandle g, string root);

    [LibraryImport(Library, EntryPoint = "guestfs_list_filesystems")]
    internal static partial byte** ListFilesystems(GuestfsHandle g);

    [LibraryImport(Library, EntryPoint = "guestfs_mount", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Mount(GuestfsHandle g, string mountable, string mountpoint);

    [LibraryImport(Library, EntryPoint = "guestfs_config", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Config(GuestfsHandle g, string hvparam, string? hvvalue);

    [LibraryImport(Library, EntryPoint = "guestfs_lstatns", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial StatNs* Lstatns(GuestfsHandle g, string path);

    [LibraryImport(Library, EntryPoint = "guestfs_statns", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial StatNs* Statns(GuestfsHandle g, string path);

    [LibraryImport(Library, EntryPoint = "guestfs_free_statns")]
    internal static partial void FreeStatns(StatNs* stat);

    [LibraryImport(Library, EntryPoint = "guestfs_extlinux", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Extlinux(GuestfsHandle g, string directory);

    [LibraryImport(Library, EntryPoint = "guestfs_umount_all")]
    internal static partial int UmountAll(GuestfsHandle g);

    [LibraryImport(Library, EntryPoint = "guestfs_is_dir", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int IsDir(GuestfsHandle g, string path);

    [LibraryImport(Library, EntryPoint = "guestfs_readlink", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte* Readlink(GuestfsHandle g, string path);

    [LibraryImport(Library, EntryPoint = "guestfs_read_file", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte* ReadFile(GuestfsHandle g, string path, nuint* size);

    [LibraryImport(Library, EntryPoint = "guestfs_pread", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte* Pread(GuestfsHandle g, string path, int count, long offset, nuint* size);

    [LibraryImport(Library, EntryPoint = "guestfs_write", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Write(GuestfsHandle g, string path, byte* content, nuint contentSize);

    [LibraryImport(Library, EntryPoint = "guestfs_write_append", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int WriteAppend(GuestfsHandle g, string path, byte* content, nuint contentSize);

    [LibraryImport(Library, EntryPoint = "guestfs_mkdir_p", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int MkdirP(GuestfsHandle g, string path);

    [LibraryImport(Library, EntryPoint = "guestfs_chmod", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Chmod(GuestfsHandle g, int mode, string path);

    [LibraryImport(Library, EntryPoint = "guestfs_lchown", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Lchown(GuestfsHandle g, int owner, int group, string path);

    [LibraryImport(Library, EntryPoint = "guestfs_ln_s", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int LnS(GuestfsHandle g, string target, string linkname);

    [LibraryImport(Library, EntryPoint = "guestfs_glob_expand_opts_argv", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte** GlobExpandOptsArgv(GuestfsHandle g, string pattern, GlobExpandOptsArgv* optargs);

    [LibraryImport(Library, EntryPoint = "guestfs_rm_f", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int RmF(GuestfsHandle g, string path);

    [LibraryImport(Library, EntryPoint = "guestfs_rm_rf", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int RmRf(GuestfsHandle g, string path);

    [LibraryImport(Library, EntryPoint = "guestfs_upload", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Upload(GuestfsHandle g, string filename, string remoteFilename);

    [LibraryImport(Library, EntryPoint = "guestfs_tar_out_opts_argv", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int TarOutOptsArgv(GuestfsHandle g, string directory, string tarfile, TarOutOptsArgv* optargs);

    [LibraryImport(Library, EntryPoint = "guestfs_tar_in_opts_argv", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int TarInOptsArgv(GuestfsHandle g, string tarfile, string directory, TarInOptsArgv* optargs);

    [LibraryImport(Library, EntryPoint = "guestfs_sh", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte* Sh(GuestfsHandle g, string command);

    [LibraryImport(Library, EntryPoint = "guestfs_tail_n", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte** TailN(GuestfsHandle g, int lines, string path);

    [LibraryImport(Library, EntryPoint = "guestfs_umount_opts_argv", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int UmountOptsArgv(GuestfsHandle g, string pathOrDevice, UmountOptsArgv* optargs);

    [LibraryImport(Library, EntryPoint = "guestfs_rmdir", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Rmdir(GuestfsHandle g, string path);

    [LibraryImport(Library, EntryPoint = "guestfs_ping_daemon")]
    internal static partial int PingDaemon(GuestfsHandle g);
}
