namespace Builder.Images;

/// <summary>Disk image operations, through qemu-img.</summary>
public interface IDiskImages
{
    Task<DiskInfo> InfoAsync(string path, CancellationToken cancellationToken);

    /// <summary>What qemu-img says of an image read as <paramref name="format"/>, not probed: a fixed VHD (vpc) probes as raw, its footer counted in.</summary>
    Task<DiskInfo> InfoAsync(string path, string format, CancellationToken cancellationToken);

    /// <summary>
    /// A qcow2 overlay whose backing file is <paramref name="backingFile"/>, which qemu only ever
    /// opens read-only through it. A size larger than the backing file's grows the disk. A relative
    /// backing path is kept as written, and is relative to the overlay's folder.
    /// </summary>
    Task CreateOverlayAsync(string overlay, string backingFile, string backingFormat, long? size, CancellationToken cancellationToken);

    /// <summary>
    /// The bytes of data a standalone qcow2 of this image (with its backing chain) would hold:
    /// qemu-img measure's "required". Reads without taking qemu's lock, so the disk of an open
    /// session can be measured once the session has flushed.
    /// </summary>
    Task<long> MeasureAsync(string path, CancellationToken cancellationToken);

    /// <summary>qemu-img check: null when the image is consistent, else what qemu-img says is wrong.</summary>
    Task<string?> CheckAsync(string path, CancellationToken cancellationToken);

    /// <summary>Rewrites the backing file a qcow2 names (qemu-img rebase -u), keeping its data: for a copy moved beside another backing path.</summary>
    Task SetBackingAsync(string image, string backingFile, string backingFormat, CancellationToken cancellationToken);

    /// <summary>Writes a standalone image (no backing file) in the given format, with qemu-img's defaults for it.</summary>
    Task ConvertAsync(string source, string sourceFormat, string target, string targetFormat, CancellationToken cancellationToken) =>
        ConvertAsync(source, sourceFormat, target, new ConvertTarget(targetFormat), cancellationToken);

    /// <summary>
    /// Writes a standalone image (no backing file) as <paramref name="how"/> says: format, creation
    /// options, compression. Clusters are written in order, so the same source gives the same bytes.
    /// </summary>
    Task ConvertAsync(string source, string sourceFormat, string target, ConvertTarget how, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a qcow2 overlay holding only what <paramref name="source"/> (a qcow2, with its whole
    /// backing chain) has that differs from <paramref name="baseImage"/>; its header names the base
    /// as <paramref name="backingPath"/> (absolute, or relative to the folder the target ends up in).
    /// </summary>
    Task WriteThinAsync(string source, string baseImage, string baseFormat, string target, string backingPath, CancellationToken cancellationToken);
}

/// <summary>qemu-img failed: its own message, and what we asked of it.</summary>
public sealed class DiskImageException(string operation, string message) : Exception($"qemu-img {operation} failed: {message}");
