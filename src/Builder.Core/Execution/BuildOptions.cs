using Builder.Guests;
using Builder.Templates.Repositories;

namespace Builder.Execution;

/// <summary>How to run a build, beyond what the recipe says.</summary>
/// <param name="OutputPath">Overrides the recipe's output path.</param>
/// <param name="Accelerator">Auto probes once and falls back to TCG when KVM does not work.</param>
/// <param name="LaunchTimeout">A guest launch slower than this is killed and reported; null for the default.</param>
/// <param name="Trace">Report the backend's trace (libguestfs) as <see cref="TraceLine"/> events.</param>
/// <param name="Repositories">Extra template sources and verification switches, for named templates pulled on first use.</param>
public sealed record BuildOptions(
    string? OutputPath = null,
    Accelerator Accelerator = Accelerator.Auto,
    TimeSpan? LaunchTimeout = null,
    bool Trace = false,
    RepositoryOptions? Repositories = null)
{
    public GuestSessionOptions Session => new(Accelerator, LaunchTimeout ?? DefaultLaunchTimeout, Trace);

    /// <summary>Under TCG an appliance launch takes about 20 s on a quiet 2-core machine; allow for a loaded one.</summary>
    public static readonly TimeSpan DefaultLaunchTimeout = TimeSpan.FromMinutes(5);
}
