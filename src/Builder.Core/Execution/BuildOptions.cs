using Builder.Guests;
using Builder.Templates.Repositories;

namespace Builder.Execution;

/// <summary>How to run a build, beyond what the recipe says.</summary>
/// <param name="OutputPath">Overrides the recipe's output path.</param>
/// <param name="Accelerator">Auto probes once and falls back to TCG when KVM does not work.</param>
/// <param name="LaunchTimeout">A guest launch slower than this is killed and reported; null for the default.</param>
/// <param name="Trace">Report the backend's trace (libguestfs) as <see cref="TraceLine"/> events.</param>
/// <param name="Repositories">Extra template sources and verification switches, for named templates pulled on first use.</param>
/// <param name="Backend">The backend asked for; null leaves it to the recipe, BUILDER_BACKEND, then auto.</param>
/// <param name="Jobs">How many guest sessions and image writes run at once over many recipes; 0 for the number of cores.</param>
/// <param name="FailFast">Stop every recipe when one fails (or is invalid), instead of building the others.</param>
/// <param name="OutputStream">
/// Write the image to this stream instead of a file (one recipe; raw or qcow2, not a thin output). The
/// image is built in a private folder beside the recipe's output path and copied to the stream
/// once complete, so a failed build writes nothing to it; no file, manifest or build log is kept.
/// The stream is flushed, not closed.
/// </param>
/// <param name="CacheFolder">
/// Keep the layer cache, and the build history its miss reasons come from, in this folder instead
/// of the store: the build takes no layer from the store's cache and adds none to it (as `builder
/// verify`'s builds must not). Templates still come from the store. Null for the store's cache.
/// </param>
public sealed record BuildOptions(
    string? OutputPath = null,
    Accelerator Accelerator = Accelerator.Auto,
    TimeSpan? LaunchTimeout = null,
    bool Trace = false,
    RepositoryOptions? Repositories = null,
    BackendChoice? Backend = null,
    int Jobs = 0,
    bool FailFast = false,
    Stream? OutputStream = null,
    string? CacheFolder = null)
{
    /// <summary>What <see cref="BuildStarted"/> and <see cref="BuildSucceeded"/> name as the output when it goes to <see cref="OutputStream"/>.</summary>
    public const string StreamedOutputName = "-";

    public int JobSlots => Jobs > 0 ? Jobs : Environment.ProcessorCount;

    public GuestSessionOptions Session => new(Accelerator, LaunchTimeout ?? DefaultLaunchTimeout, Trace);

    /// <summary>Under TCG an appliance launch takes about 20 s on a quiet 2-core machine; allow for a loaded one.</summary>
    public static readonly TimeSpan DefaultLaunchTimeout = TimeSpan.FromMinutes(5);
}
