using Builder.Execution;
using Builder.Guests;
using Builder.Images;

namespace Builder.Reproducibility;

/// <summary>
/// The file tree of any disk image qemu-img reads (qcow2, raw, vmdk, …; Builder's or not), read
/// without changing it: the session opens a throwaway qcow2 overlay whose backing file is the
/// image, and the guest's filesystems are found by inspection (or, with no operating system and a
/// single filesystem, that one at /).
/// </summary>
public sealed class ImageTreeReader(IDiskImages images)
{
    /// <exception cref="DiskImageException">qemu-img cannot read the file as a disk image.</exception>
    /// <exception cref="GuestOperationException">The image holds no filesystem the backend can mount (operation "inspect"), or reading failed.</exception>
    public async Task<IReadOnlyList<GuestTreeEntry>> ReadAsync(
        string image, IGuestBackend backend, GuestSessionOptions options, IBuildEvents events, CancellationToken cancellationToken)
    {
        var info = await images.InfoAsync(image, cancellationToken);
        var scratch = Directory.CreateTempSubdirectory("builder-read-").FullName;
        try
        {
            var overlay = Path.Combine(scratch, "read.qcow2");
            await images.CreateOverlayAsync(overlay, Path.GetFullPath(image), info.Format, null, cancellationToken);
            var guest = await backend.OpenAsync(new GuestDisk(overlay, "qcow2"), options, events, cancellationToken);
            await using (guest) return await guest.TreeAsync(cancellationToken);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
