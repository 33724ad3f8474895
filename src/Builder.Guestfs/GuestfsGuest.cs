using Builder.Execution;
using Builder.Guestfs.Appliance;
using Builder.Guestfs.Commands;
using Builder.Guestfs.CopyIn;
using Builder.Guestfs.Native;
using Builder.Guestfs.Tree;
using Builder.Guests;

namespace Builder.Guestfs;

/// <summary>
/// <see cref="IGuest"/> over one launched libguestfs appliance with the guest's filesystems mounted.
/// Calls are serialized (a handle is not thread-safe) and run off the caller's thread. Cancelling
/// the session token, or the token of a call in flight, kills the appliance so the call returns;
/// the session is then unusable and only needs disposing.
/// </summary>
public sealed class GuestfsGuest : IGuest, ICheckpointGuest
{
    private const int WriteChunk = 2 * 1024 * 1024; // below the 4 MiB protocol message limit
    private const int S_IFMT = 0xF000, S_IFREG = 0x8000, S_IFDIR = 0x4000, S_IFLNK = 0xA000;
    private const string NotRegular = "not a regular file (devices, FIFOs and sockets in the guest are not opened)";

    private readonly GuestfsConnection _connection;
    private readonly int _qemuPid;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenRegistration _sessionRegistration;
    private readonly GuestScriptRunner _scripts;
    private CancellationToken _killedBy;
    private volatile bool _killed;
    private bool _disposed;

    internal GuestfsGuest(GuestfsConnection connection, int qemuPid, bool network, CancellationToken sessionToken)
    {
        _connection = connection;
        _qemuPid = qemuPid;
        _scripts = new GuestScriptRunner(network);
        Info = GuestInfo.Unknown("(not inspected)");
        _sessionRegistration = sessionToken.Register(() => Kill(sessionToken));
    }

    public GuestInfo Info { get; private set; }

    internal async Task MountAsync(GuestLayout? layout, IBuildEvents events, CancellationToken cancellationToken) =>
        Info = await CallAsync("inspect", null, g => GuestMounter.Mount(g, layout, events), cancellationToken).ConfigureAwait(false);

    /// <summary>What growing the disk works on (see <see cref="DiskGrower"/>); nothing changes yet.</summary>
    internal async Task<GrowthTarget> FindGrowthAsync(DiskGrowth growth, CancellationToken cancellationToken) =>
        await CallAsync("grow", null, g => DiskGrower.Find(g, growth), cancellationToken).ConfigureAwait(false);

    /// <summary>Grows the partition and what is on it, before anything of the guest is mounted.</summary>
    internal async Task GrowAsync(GrowthTarget target, CancellationToken cancellationToken) =>
        await CallAsync("grow", target.Partition, g => DiskGrower.Grow(g, target), cancellationToken).ConfigureAwait(false);

    /// <summary>The guest folder's tree as a host tar file (numeric owners, xattrs): for comparing images.</summary>
    internal async Task TarOutAsync(string directory, string tarFile, CancellationToken cancellationToken) =>
        await CallAsync("tar-out", directory, g => g.TarOut(directory, tarFile), cancellationToken).ConfigureAwait(false);

    /// <summary>guestfs_extlinux: SYSLINUX's extlinux, run in the appliance on the mounted filesystem.</summary>
    internal async Task InstallExtlinuxAsync(string directory, CancellationToken cancellationToken) =>
        await CallAsync("extlinux", directory, g => g.Extlinux(directory), cancellationToken).ConfigureAwait(false);

    public async ValueTask<GuestStat?> LstatAsync(string path, CancellationToken cancellationToken = default)
    {
        var stat = await CallAsync("lstat", path, g =>
        {
            try { return g.Lstat(path); }
            catch (GuestfsException e) when (e.Errno is GuestfsConnection.ENOENT or GuestfsConnection.ENOTDIR) { return (StatNs?)null; }
        }, cancellationToken).ConfigureAwait(false);
        if (stat is not { } s) return null;

        var type = (s.Mode & S_IFMT) switch
        {
            S_IFREG => GuestFileType.Regular,
            S_IFDIR => GuestFileType.Directory,
            S_IFLNK => GuestFileType.Symlink,
            _ => GuestFileType.Other,
        };
        return new GuestStat(type, (int)(s.Mode & 0xFFF), (int)s.Uid, (int)s.Gid, s.Size);
    }

    public async ValueTask<string> ReadLinkAsync(string path, CancellationToken cancellationToken = default) =>
        await CallAsync("readlink", path, g => g.Readlink(path), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// A guest path for libguestfs calls that take a device or a path (download, upload): one
    /// under /dev/ would name the appliance's own device (its disk is the overlay), so it is
    /// written /./dev/…, which the daemon resolves in the guest's filesystem like any other path.
    /// </summary>
    internal static string InGuest(string path) => path.StartsWith("/dev/", StringComparison.Ordinal) ? "/." + path : path;

    public async ValueTask<byte[]> ReadFileAsync(string path, CancellationToken cancellationToken = default) =>
        await CallAsync("read", path, g =>
        {
            RequireRegularOrMissing(g, "read", path);
            return g.ReadFile(InGuest(path));
        }, cancellationToken).ConfigureAwait(false);

    public async ValueTask WriteFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        await CallAsync("write", path, g =>
        {
            RequireRegularOrMissing(g, "write", path);
            g.Write(path, content.Span[..Math.Min(content.Length, WriteChunk)]);
            AppendChunks(g, path, content[Math.Min(content.Length, WriteChunk)..]);
        }, cancellationToken).ConfigureAwait(false);

    public async ValueTask AppendFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        await CallAsync("append", path, g =>
        {
            RequireRegularOrMissing(g, "append", path);
            if (content.IsEmpty) g.WriteAppend(path, []);
            else AppendChunks(g, path, content);
        }, cancellationToken).ConfigureAwait(false);

    public async ValueTask MkdirAsync(string path, CancellationToken cancellationToken = default) =>
        await CallAsync("mkdir", path, g => g.MkdirP(path), cancellationToken).ConfigureAwait(false);

    public async ValueTask ChmodAsync(string path, int mode, CancellationToken cancellationToken = default) =>
        await CallAsync("chmod", path, g => g.Chmod(path, mode & 0xFFF), cancellationToken).ConfigureAwait(false);

    public async ValueTask ChownAsync(string path, int uid, int gid, CancellationToken cancellationToken = default) =>
        await CallAsync("chown", path, g => g.Lchown(path, uid, gid), cancellationToken).ConfigureAwait(false);

    public async ValueTask SymlinkAsync(string target, string linkPath, CancellationToken cancellationToken = default) =>
        await CallAsync("symlink", linkPath, g =>
        {
            // ln -sf would create the link inside a directory (or a symlink to one) at linkPath; replace the entry itself.
            StatNs? existing;
            try { existing = g.Lstat(linkPath); }
            catch (GuestfsException e) when (e.Errno == GuestfsConnection.ENOENT) { existing = null; }
            if (existing is { } s && (s.Mode & S_IFMT) == S_IFDIR)
                throw new GuestOperationException("symlink", linkPath, "a directory is in the way");
            if (existing is not null) g.RmF(linkPath);
            g.LnS(target, linkPath);
        }, cancellationToken).ConfigureAwait(false);

    public async ValueTask<IReadOnlyList<string>> GlobAsync(string pattern, CancellationToken cancellationToken = default) =>
        await CallAsync("glob", pattern, g =>
        {
            var paths = g.GlobExpand(pattern);
            Array.Sort(paths, StringComparer.Ordinal);
            return (IReadOnlyList<string>)paths;
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// unlink(2) in the daemon first: a file, a link or nothing there needs no process in the appliance,
    /// where starting `rm -rf` costs tens of milliseconds under TCG; a folder, or anything unlink refuses, goes to rm -rf.
    /// </summary>
    public async ValueTask DeleteAsync(string path, CancellationToken cancellationToken = default) =>
        await CallAsync("delete", path, g =>
        {
            try
            {
                g.RmF(InGuest(path));
            }
            catch (GuestfsException)
            {
                g.RmRf(InGuest(path));
            }
        }, cancellationToken).ConfigureAwait(false);

    public async ValueTask UploadAsync(string hostPath, string guestPath, CancellationToken cancellationToken = default)
    {
        var source = Path.GetFullPath(hostPath);
        if (!File.Exists(source)) throw new GuestOperationException("upload", guestPath, $"no such host file: {source}");
        await CallAsync("upload", guestPath, g =>
        {
            RequireRegularOrMissing(g, "upload", guestPath);
            g.Upload(source, InGuest(guestPath));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The folder's contents as a tar in a private temporary host file (see <see cref="HostFolderTar"/>), unpacked by guestfs_tar_in.</summary>
    public async ValueTask CopyInAsync(string hostFolder, string guestFolder, CancellationToken cancellationToken = default)
    {
        var source = Path.GetFullPath(hostFolder);
        if (!Directory.Exists(source)) throw new GuestOperationException("copy-in", guestFolder, $"no such host folder: {source}");
        using var tar = await Task.Run(() => HostFolderTar.Create(source, guestFolder), cancellationToken).ConfigureAwait(false);
        await CallAsync("copy-in", guestFolder, g =>
        {
            if (!g.IsDir(guestFolder)) throw new GuestOperationException("copy-in", guestFolder, "no such folder in the guest");
            g.TarIn(tar.Path, guestFolder);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// See <see cref="GuestScriptRunner"/>. Output lines reach <paramref name="output"/> in order while the script
    /// runs, on the worker thread making the libguestfs call: the callback must return quickly and must not call this guest.
    /// </summary>
    public async ValueTask<GuestCommandResult> RunAsync(GuestCommand command, Action<string> output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(output);
        return await CallAsync("run", null, g => _scripts.Run(g, command, output), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<SparsifyOutcome>> SparsifyAsync(CancellationToken cancellationToken = default) =>
        await CallAsync("sparsify", null, ApplianceSparsifier.Run, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// See <see cref="ApplianceTree"/>; the staging tmpfs is unmounted first, so the tree is the guest's own,
    /// and the filesystems are read-only meanwhile (<see cref="ReadOnlyMounts"/>), so no access time changes.
    /// </summary>
    public async ValueTask<IReadOnlyList<GuestTreeEntry>> TreeAsync(CancellationToken cancellationToken = default) =>
        await ApplianceTree.ReadAsync(target => CallAsync("tree", "/", g =>
        {
            _scripts.Teardown(g);
            ReadOnlyMounts.While(g, () => g.TarOut("/", target));
        }, cancellationToken), cancellationToken).ConfigureAwait(false);

    public async ValueTask FlushAsync(CancellationToken cancellationToken = default) =>
        await CallAsync("sync", null, g => g.Sync(), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Flushes and stops the appliance (guestfs_shutdown), then closes the handle. A shutdown error is
    /// thrown, since it may mean that writes did not reach the disk. After a kill there is nothing to flush.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            GuestfsException? shutdownError = null;
            if (!_killed)
            {
                await Task.Run(TryTeardownScripts).ConfigureAwait(false);
                try { await Task.Run(_connection.Shutdown).ConfigureAwait(false); }
                catch (GuestfsException e) { shutdownError = e; }
            }
            await _sessionRegistration.DisposeAsync().ConfigureAwait(false);
            if (_killed) TryDisableAutosync();
            await Task.Run(_connection.Dispose).ConfigureAwait(false);
            if (shutdownError is not null && !_killed)
                throw new GuestOperationException("shutdown", null, $"{shutdownError.Summary} (writes may not have reached the disk)", shutdownError);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Kill the appliance and close the handle without flushing: for a session that failed while opening.</summary>
    internal async ValueTask AbandonAsync()
    {
        if (_disposed) return;
        Kill(CancellationToken.None);
        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// A device node, FIFO or socket (a symlink followed inside the guest) is never opened: in the
    /// appliance, /dev/zero would be read forever into a host temporary file, and a write would reach
    /// the appliance's own devices. A missing file (or dangling symlink) is fine: it is created. A
    /// failing stat (a symlink loop) fails the call with its own message.
    /// </summary>
    private static void RequireRegularOrMissing(GuestfsConnection g, string operation, string path)
    {
        StatNs stat;
        try { stat = g.Stat(path); }
        catch (GuestfsException e) when (e.Errno == GuestfsConnection.ENOENT) { return; }
        if ((stat.Mode & S_IFMT) is not (S_IFREG or S_IFDIR)) throw new GuestOperationException(operation, path, NotRegular);
    }

    private static void AppendChunks(GuestfsConnection g, string path, ReadOnlyMemory<byte> content)
    {
        for (var offset = 0; offset < content.Length; offset += WriteChunk)
            g.WriteAppend(path, content.Span.Slice(offset, Math.Min(WriteChunk, content.Length - offset)));
    }

    private Task CallAsync(string operation, string? path, Action<GuestfsConnection> call, CancellationToken cancellationToken) =>
        CallAsync<object?>(operation, path, g => { call(g); return null; }, cancellationToken);

    private async Task<T> CallAsync<T>(string operation, string? path, Func<GuestfsConnection, T> call, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ThrowIfKilled();
            cancellationToken.ThrowIfCancellationRequested();
            using var registration = cancellationToken.Register(() => Kill(cancellationToken));
            try
            {
                return await Task.Run(() => call(_connection), CancellationToken.None).ConfigureAwait(false);
            }
            catch (GuestfsException) when (_killed)
            {
                throw new OperationCanceledException("the guest session was cancelled and its appliance killed", _killedBy);
            }
            catch (GuestfsException e)
            {
                throw new GuestOperationException(operation, path, WithoutPathPrefix(e.Summary, path), e);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>"lstatns: /x: No such file or directory" → "No such file or directory": the exception names the path already.</summary>
    private static string WithoutPathPrefix(string message, string? path)
    {
        if (path is null) return message;
        var at = message.IndexOf($": {path}: ", StringComparison.Ordinal);
        return at > 0 && !message[..at].Contains(' ', StringComparison.Ordinal) ? message[(at + path.Length + 4)..] : message;
    }

    private void ThrowIfKilled()
    {
        if (_killed) throw new OperationCanceledException("the guest session was cancelled and its appliance killed", _killedBy);
    }

    private void Kill(CancellationToken cause)
    {
        if (_killed) return;
        _killedBy = cause;
        _killed = true;
        QemuProcesses.KillIfChildQemu(_qemuPid);
    }

    /// <summary>Best effort: the staging tmpfs holds nothing that outlives the appliance, at worst an empty folder stays.</summary>
    private void TryTeardownScripts()
    {
        try { _scripts.Teardown(_connection); }
        catch (GuestfsException) { }
    }

    private void TryDisableAutosync()
    {
        try { _connection.SetAutosync(false); }
        catch (GuestfsException) { }
    }
}
