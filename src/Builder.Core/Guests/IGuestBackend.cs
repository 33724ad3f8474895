using Builder.Execution;

namespace Builder.Guests;

/// <summary>Opens guest sessions on a disk: launches whatever runs the guest and mounts its filesystems.</summary>
public interface IGuestBackend
{
    /// <summary>A short name for plans and messages: "appliance", "host".</summary>
    string Name { get; }

    /// <summary>
    /// Whether this backend can run a guest here (privileges, devices, programs, the guest's
    /// architecture against the host's), and a short reason either way, which plans show.
    /// </summary>
    BackendAvailability Availability(GuestLayout? layout);

    /// <summary>
    /// Open a session on the disk with its filesystems mounted from inspection, after growing its
    /// last partition and filesystem when the disk asks (<see cref="GuestDisk.Grow"/>). Reports
    /// phases (launch, grow, inspect) and notices (accelerator fallback) through events. The token stays bound
    /// to the session: cancelling it, even after this returns, kills the session. Disposing flushes
    /// and closes it (and may throw if flushing failed); disposing a killed session leaves no
    /// process behind and does not throw.
    /// </summary>
    Task<IGuest> OpenAsync(GuestDisk disk, GuestSessionOptions options, IBuildEvents events, CancellationToken cancellationToken);

    /// <summary>
    /// Whether opening a session costs much (a VM launch): then a build runs the layers it must
    /// make in one session, taking each layer as a copy of the disk (see <see cref="ICheckpointGuest"/>),
    /// instead of a session per layer. The guests of such a backend implement ICheckpointGuest.
    /// </summary>
    bool ExpensiveSessions { get; }
}

/// <summary>A guest whose disk file can be copied while the session stays open.</summary>
public interface ICheckpointGuest
{
    /// <summary>Writes every change made so far through to the disk file (sync in the guest, and the image's own metadata), so that a copy taken now is consistent.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);
}

/// <param name="Reason">"running as root with loop and FUSE; guest x86_64 matches the host", or what is missing.</param>
public sealed record BackendAvailability(bool Available, string Reason);

/// <summary>
/// A backend that leaves host state behind when a build is killed (mounts, loop devices, export
/// daemons): it can find what a dead process of ours left, and clean it. `builder doctor` uses it.
/// </summary>
public interface IBackendMaintenance
{
    string Name { get; }

    /// <summary>What dead builds of ours left behind, described for the user.</summary>
    IReadOnlyList<string> FindStale();

    /// <summary>Cleans what <see cref="FindStale"/> finds; returns what was cleaned.</summary>
    Task<IReadOnlyList<string>> CleanStaleAsync(CancellationToken cancellationToken);
}
