using Builder.Execution;

namespace Builder.Guests;

/// <summary>Opens guest sessions on a disk: launches whatever runs the guest and mounts its filesystems.</summary>
public interface IGuestBackend
{
    /// <summary>A short name for plans and messages: "appliance", "host".</summary>
    string Name { get; }

    /// <summary>
    /// Open a session on the disk with its filesystems mounted from inspection. Reports phases
    /// (launch, inspect) and notices (accelerator fallback) through events. Disposing the session
    /// flushes and closes it; a session that is disposed after cancellation leaves no process behind.
    /// </summary>
    Task<IGuest> OpenAsync(GuestDisk disk, GuestSessionOptions options, IBuildEvents events, CancellationToken cancellationToken);
}
