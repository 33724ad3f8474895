using Builder.Guests;
using Builder.Images;

namespace Builder.Execution;

/// <summary>
/// Where a build writes now (the layer cache, or the work area beside the output), so that a
/// failure can be named for what it is when that filesystem fills up (see <see cref="DiskFullException"/>).
/// </summary>
internal sealed class DiskFullWatch(string outputPath)
{
    private string folder = "";
    private bool toCache = true;

    public void WritingTo(string folder, bool toCache)
    {
        this.folder = folder;
        this.toCache = toCache;
    }

    /// <summary>
    /// The failure as a full host filesystem, named, when that is what it is: a tool said "No space
    /// left on device", or an I/O error came while the filesystem being written to has no space left
    /// (checked before the failed build's files are removed). A step's own failure is the guest's.
    /// </summary>
    public DiskFullException? Explain(Exception e)
    {
        if (e is DiskFullException or OperationCanceledException) return null;
        if (e is StepRunException step)
        {
            // "No space left on device" from a step is the guest's filesystem. Any other guest error while the host
            // filesystem under the overlay is full is that: the appliance's disk reports it to the guest as an I/O error.
            if (step.InnerException is not GuestOperationException guest || DiskFullException.IsCause(guest) || !HostFilesystem.IsFull(folder))
                return null;
        }
        else if (!DiskFullException.IsCause(e) && !(e is IOException or GuestOperationException or DiskImageException && HostFilesystem.IsFull(folder)))
        {
            return null;
        }
        return toCache
            ? DiskFullException.For(e, folder, "the layer cache", "point BUILDER_STORE at a larger filesystem; `builder cache prune` removes unused layers")
            : DiskFullException.For(e, Path.GetDirectoryName(outputPath)!, "the output's folder", "write the output elsewhere");
    }

    /// <summary>
    /// A session whose writes filled the host filesystem under its overlay may have lost some without
    /// any error: the guest's kernel writes back later, and an appliance's sync(2) reports nothing. So
    /// the overlay is not trusted, and the build fails as a full filesystem (<see cref="Explain"/>).
    /// </summary>
    public void ThrowIfFull()
    {
        if (HostFilesystem.IsFull(folder))
            throw new IOException("No space left on device under the session's overlay: its writes may not all have reached it");
    }
}
