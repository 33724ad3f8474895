using Builder.Execution;

namespace Builder.Guests;

/// <summary>Opens guest sessions on a disk: launches whatever runs the guest and mounts its filesystems.</summary>
public interface IGuestBackend
{
    /// <summary>A short name for plans and messages: "appliance", "host".</summary>
    string Name { get; }

    /// <summary>
    /// Open a session on the disk with its filesystems mounted from inspection. Reports phases
    /// (launch, inspect) and notices (accelerator fallback) through events. The token stays bound
    /// to the session: cancelling it, even after this returns, kills the session. Disposing flushes
    /// and closes it (and may throw if flushing failed); disposing a killed session leaves no
    /// process behind and does not throw.
    /// </summary>
    Task<IGuest> OpenAsync(GuestDisk disk, GuestSessionOptions options, IBuildEvents events, CancellationToken cancellationToken);
}
