using Builder.Execution;
using Builder.Guests;
using Builder.Host.Disks;
using Builder.Host.Files;
using Builder.Host.Mounting;
using Builder.Host.Sessions;
using Builder.Storage;

namespace Builder.Host;

/// <summary>
/// Opens guest sessions on the build host itself, as root, with no VM: the disk is exported by
/// qemu-storage-daemon over FUSE (a raw disk is used as it is), each partition it mounts gets a
/// loop device, the filesystems are mounted under a private work folder in the store, and commands
/// run chrooted in namespaces of their own. Every piece of host state is recorded in a session file
/// first (see <see cref="SessionJournal"/>), so that what a killed build leaves is found and cleaned:
/// by <see cref="CleanStaleAsync"/>, and before every session this backend opens.
/// </summary>
public sealed class HostBackend(StoreLocation store, TimeProvider timeProvider) : IGuestBackend, IBackendMaintenance
{
    /// <summary>A session is an export, a loop device and some mounts: tens of milliseconds.</summary>
    public bool ExpensiveSessions => false;

    private readonly StaleSessions _stale = new(store.Root);

    public string Name => "host";

    public BackendAvailability Availability(GuestLayout? layout) => HostAvailability.Check(layout);

    public IReadOnlyList<string> FindStale() => StaleSessions.Describe(_stale.Find());

    public Task<IReadOnlyList<string>> CleanStaleAsync(CancellationToken cancellationToken) => _stale.CleanAsync(null, cancellationToken);

    public async Task<IGuest> OpenAsync(GuestDisk disk, GuestSessionOptions options, IBuildEvents events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(disk);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(events);
        var diskPath = Path.GetFullPath(disk.Path);
        if (!File.Exists(diskPath)) throw new GuestOperationException("open", diskPath, "no such disk image");
        var availability = HostAvailability.Check(disk.Layout);
        if (!availability.Available) throw new GuestOperationException("open", diskPath, $"the host backend cannot run here: {availability.Reason}");
        Action<string>? trace = options.Trace ? line => events.Emit(new TraceLine("host", line)) : null;

        var cleaned = await _stale.CleanAsync(trace, cancellationToken).ConfigureAwait(false);
        if (cleaned.Count > 0) events.Emit(new Notice($"cleaned what killed builds left on this host: {string.Join("; ", cleaned)}"));

        var session = HostSession.Create(store.Root, trace);
        GuestRoot? root = null;
        try
        {
            var raw = string.Equals(disk.Format, "raw", StringComparison.OrdinalIgnoreCase);
            events.Emit(new PhaseStarted("export", raw ? "Using the raw disk" : $"Exporting disk ({disk.Format}) with qemu-storage-daemon"));
            var started = timeProvider.GetTimestamp();
            var device = raw
                ? diskPath
                : (await DiskExport.StartAsync(session, diskPath, disk.Format, options.LaunchTimeout, cancellationToken).ConfigureAwait(false)).Path;
            events.Emit(new PhaseCompleted("export", timeProvider.GetElapsedTime(started)));
            if (disk.Grow is { } growth) await GrowAsync(session, device, growth, events, cancellationToken).ConfigureAwait(false);

            events.Emit(new PhaseStarted("mount", disk.Layout is null ? "Inspecting guest" : "Mounting guest filesystems"));
            started = timeProvider.GetTimestamp();
            (root, var info) = await new GuestMounter(session, device, events).MountAsync(disk.Layout, cancellationToken).ConfigureAwait(false);
            var mismatch = HostAvailability.Mismatch(info);
            if (mismatch is not null) events.Emit(new Notice($"{mismatch}; file steps work, commands do not"));
            events.Emit(new PhaseCompleted("mount", timeProvider.GetElapsedTime(started)));
            cancellationToken.ThrowIfCancellationRequested();
            return new HostGuest(session, root, info, options.Network, mismatch, cancellationToken);
        }
        catch (Exception e)
        {
            root?.Dispose();
            var errors = await session.TeardownAsync().ConfigureAwait(false);
            if (e is Native.NativeException or HostToolException or IOException)
                throw new GuestOperationException("open", diskPath, e.Message, errors.Count == 0 ? e : new AggregateException([e, .. errors]));
            throw;
        }
    }

    /// <summary>
    /// The "grow" phase, before anything is mounted: the last partition grows to the end of the disk
    /// (<see cref="PartitionGrowth"/>), then its filesystem (<see cref="FilesystemGrowth"/>). What
    /// cannot grow is refused before the disk changes.
    /// </summary>
    private async Task GrowAsync(HostSession session, string device, DiskGrowth growth, IBuildEvents events, CancellationToken cancellationToken)
    {
        var target = await PartitionGrowth.FindAsync(device, growth, session.Trace, cancellationToken).ConfigureAwait(false);
        FilesystemGrowth.RequireTool(target);
        events.Emit(new PhaseStarted("grow", target.Describe(growth.Size)));
        var started = timeProvider.GetTimestamp();
        await PartitionGrowth.ExtendAsync(device, target, session.Trace, cancellationToken).ConfigureAwait(false);
        await FilesystemGrowth.GrowAsync(session, device, target, cancellationToken).ConfigureAwait(false);
        events.Emit(new PhaseCompleted("grow", timeProvider.GetElapsedTime(started)));
    }
}
