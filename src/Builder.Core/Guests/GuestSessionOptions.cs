namespace Builder.Guests;

/// <summary>How to open a guest session.</summary>
/// <param name="Accelerator">Requested accelerator; Auto probes.</param>
/// <param name="LaunchTimeout">A launch that takes longer is killed and reported.</param>
/// <param name="Trace">Forward the backend's trace (the libguestfs trace) as <see cref="Execution.TraceLine"/> events.</param>
/// <param name="Network">Give the session a network (for package installs and scripts that ask for it). Commands
/// that do not ask for the network still run without one.</param>
public sealed record GuestSessionOptions(Accelerator Accelerator, TimeSpan LaunchTimeout, bool Trace, bool Network = false);
