using Builder.Guests;
using Builder.Host.Commands;
using Builder.Host.Files;
using Builder.Host.Native;
using Builder.Host.Sessions;

namespace Builder.Host;

/// <summary>
/// <see cref="IGuest"/> on the build host: the guest's filesystems mounted under a private work
/// folder, files reached only through <see cref="GuestRoot"/>, commands chrooted in namespaces of
/// their own. Calls are serialized and run off the caller's thread. Cancelling the session token,
/// or the token of a call in flight, kills the session: a running command's process tree dies at
/// once, the call returns, and every later call throws OperationCanceledException. Disposing tears
/// everything down in reverse order and leaves nothing on the host.
/// </summary>
public sealed class HostGuest : IGuest, ICheckpointGuest
{
    private readonly HostSession _session;
    private readonly GuestRoot _root;
    private readonly GuestFiles _files;
    private readonly StagingArea _staging;
    private readonly CommandRunner _commands;
    private readonly bool _network;
    private readonly string? _architectureMismatch;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _killed = new();
    private readonly Lock _killLock = new();
    private readonly CancellationTokenRegistration _sessionRegistration;
    private CancellationToken _killedBy;
    private bool _disposed;

    internal HostGuest(HostSession session, GuestRoot root, GuestInfo info, bool network, string? architectureMismatch, CancellationToken sessionToken)
    {
        _session = session;
        _root = root;
        _files = new GuestFiles(root);
        _staging = new StagingArea(session, root);
        _commands = new CommandRunner(session, root, _staging);
        _network = network;
        _architectureMismatch = architectureMismatch;
        Info = info;
        _sessionRegistration = sessionToken.Register(() => Kill(sessionToken));
    }

    public GuestInfo Info { get; }

    /// <summary>The session's private folder on the host (the export file and the mounts live below it).</summary>
    internal string WorkFolder => _session.WorkFolder;

    /// <summary>The session file recording what this session holds.</summary>
    internal string SessionFile => _session.Journal.FilePath;

    public async ValueTask<GuestStat?> LstatAsync(string path, CancellationToken cancellationToken = default) =>
        await CallAsync("lstat", path, _ => _files.Lstat(path), cancellationToken).ConfigureAwait(false);

    public async ValueTask<string> ReadLinkAsync(string path, CancellationToken cancellationToken = default) =>
        await CallAsync("readlink", path, _ => _files.ReadLink(path), cancellationToken).ConfigureAwait(false);

    public async ValueTask<byte[]> ReadFileAsync(string path, CancellationToken cancellationToken = default) =>
        await CallAsync("read", path, token => _files.ReadFile(path, token), cancellationToken).ConfigureAwait(false);

    public async ValueTask WriteFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        await CallAsync("write", path, token => _files.WriteFile(path, content.Span, append: false, token), cancellationToken).ConfigureAwait(false);

    public async ValueTask AppendFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        await CallAsync("append", path, token => _files.WriteFile(path, content.Span, append: true, token), cancellationToken).ConfigureAwait(false);

    public async ValueTask MkdirAsync(string path, CancellationToken cancellationToken = default) =>
        await CallAsync("mkdir", path, _ => _files.Mkdir(path), cancellationToken).ConfigureAwait(false);

    public async ValueTask ChmodAsync(string path, int mode, CancellationToken cancellationToken = default) =>
        await CallAsync("chmod", path, _ => _files.Chmod(path, mode), cancellationToken).ConfigureAwait(false);

    public async ValueTask ChownAsync(string path, int uid, int gid, CancellationToken cancellationToken = default) =>
        await CallAsync("chown", path, _ => _files.Chown(path, uid, gid), cancellationToken).ConfigureAwait(false);

    public async ValueTask SymlinkAsync(string target, string linkPath, CancellationToken cancellationToken = default) =>
        await CallAsync("symlink", linkPath, _ => _files.Symlink(target, linkPath), cancellationToken).ConfigureAwait(false);

    public async ValueTask<IReadOnlyList<string>> GlobAsync(string pattern, CancellationToken cancellationToken = default) =>
        await CallAsync("glob", pattern, token => GuestGlob.Expand(_root, pattern, token), cancellationToken).ConfigureAwait(false);

    public async ValueTask DeleteAsync(string path, CancellationToken cancellationToken = default) =>
        await CallAsync("delete", path, token => GuestTreeRemover.Delete(_root, path, token), cancellationToken).ConfigureAwait(false);

    public async ValueTask UploadAsync(string hostPath, string guestPath, CancellationToken cancellationToken = default)
    {
        var source = Path.GetFullPath(hostPath);
        if (!File.Exists(source)) throw new GuestOperationException("upload", guestPath, $"no such host file: {source}");
        await CallAsync("upload", guestPath, token => _files.Upload(source, guestPath, token), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask CopyInAsync(string hostFolder, string guestFolder, CancellationToken cancellationToken = default)
    {
        var source = Path.GetFullPath(hostFolder);
        if (!Directory.Exists(source)) throw new GuestOperationException("copy-in", guestFolder, $"no such host folder: {source}");
        await CallAsync("copy-in", guestFolder, token => GuestCopyIn.Copy(_root, source, guestFolder, token), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>See <see cref="CommandRunner"/>. Output lines reach <paramref name="output"/> in order as they come, on a worker thread.</summary>
    public async ValueTask<GuestCommandResult> RunAsync(GuestCommand command, Action<string> output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(output);
        if (command.Network && !_network)
            throw new GuestOperationException(
                "run", null, "the command asks for the network, but the session was opened without it (GuestSessionOptions.Network)");
        if (_architectureMismatch is not null) throw new GuestOperationException("run", null, _architectureMismatch);
        CommandRunner.Validate(command.Environment);
        return await CallAsync("run", null, async _ => await _commands.RunAsync(command, output).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Tears down in reverse order: the staging tmpfs, the filesystems (deepest first), the loop
    /// devices, the export (which flushes the image), the work folder and the session file. A
    /// failure is thrown, since the image may be incomplete — except after a kill, when the overlay
    /// is thrown away anyway: then disposing never throws.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await _sessionRegistration.DisposeAsync().ConfigureAwait(false);
            var errors = new List<Exception>();
            try
            {
                await _staging.TeardownAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or NativeException)
            {
                errors.Add(e);
            }
            if (!_killed.IsCancellationRequested) errors.AddRange(FlushFilesystems());
            _root.Dispose();
            errors.AddRange(await _session.TeardownAsync().ConfigureAwait(false));
            if (errors.Count > 0 && !_killed.IsCancellationRequested)
                throw new GuestOperationException("shutdown", null, $"{string.Join("; ", errors.Select(e => e.Message))} (writes may not have reached the disk)",
                    errors.Count == 1 ? errors[0] : new AggregateException(errors));
        }
        finally
        {
            _gate.Release();
            _killed.Dispose();
        }
    }

    /// <summary>
    /// The last flush before unmounting, which reports what never reached the image: a write-back
    /// error (the export could not write the overlay, for example because its filesystem is full)
    /// leaves the kernel's page cache looking fine and unmount says nothing, but syncfs on the root
    /// folder held since mounting returns it.
    /// </summary>
    private List<Exception> FlushFilesystems()
    {
        try
        {
            _root.SyncRootFilesystem();
            Mounting.MountedFilesystems.Sync(_root);
            return [];
        }
        catch (NativeException e)
        {
            return [new IOException($"the guest's filesystems could not be written to the image ({e.Message})", e)];
        }
    }

    /// <summary>For a session that failed while opening: kill and tear down without throwing.</summary>
    internal async ValueTask AbandonAsync()
    {
        Kill(CancellationToken.None);
        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<SparsifyOutcome>> SparsifyAsync(CancellationToken cancellationToken = default) =>
        await CallAsync("sparsify", null, async token => await Disks.HostSparsifier.RunAsync(_session, _root, token).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);

    /// <summary>
    /// See <see cref="GuestTreeWalker"/>; the staging tmpfs is unmounted first, so the tree is the guest's own,
    /// and access times are off meanwhile (<see cref="Mounting.AccessTimes"/>), so reading changes nothing.
    /// </summary>
    public async ValueTask<IReadOnlyList<GuestTreeEntry>> TreeAsync(CancellationToken cancellationToken = default) =>
        await CallAsync("tree", "/", async token =>
        {
            await _staging.TeardownAsync().ConfigureAwait(false);
            using (Mounting.AccessTimes.Off(_root)) return GuestTreeWalker.Walk(_root, token);
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>syncfs on every guest filesystem: through the loop devices and the export, into the image file.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default) =>
        await CallAsync("sync", null, _ => Mounting.MountedFilesystems.Sync(_root), cancellationToken).ConfigureAwait(false);

    private Task CallAsync(string operation, string? path, Action<CancellationToken> call, CancellationToken cancellationToken) =>
        CallAsync<object?>(operation, path, token =>
        {
            call(token);
            return Task.FromResult<object?>(null);
        }, cancellationToken);

    private Task<T> CallAsync<T>(string operation, string? path, Func<CancellationToken, T> call, CancellationToken cancellationToken) =>
        CallAsync(operation, path, token => Task.FromResult(call(token)), cancellationToken);

    private async Task<T> CallAsync<T>(string operation, string? path, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
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
                return await Task.Run(() => call(_killed.Token), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception) when (_killed.IsCancellationRequested)
            {
                throw new OperationCanceledException("the guest session was cancelled", _killedBy);
            }
            catch (NativeException e)
            {
                throw new GuestOperationException(operation, path, e.Description, e);
            }
            catch (Exception e) when (e is DirectoryInTheWayException or NotARegularFileException or MissingGuestFolderException
                                          or HostFolderException or IOException or HostToolException or ArgumentException)
            {
                throw new GuestOperationException(operation, path, e.Message, e);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private void ThrowIfKilled()
    {
        if (_killed.IsCancellationRequested) throw new OperationCanceledException("the guest session was cancelled", _killedBy);
    }

    private void Kill(CancellationToken cause)
    {
        lock (_killLock)
        {
            if (_killed.IsCancellationRequested) return;
            _killedBy = cause;
            _killed.Cancel();
        }
        _commands.Kill();
    }
}
