namespace Builder.Images;

/// <summary>Disk image operations, through qemu-img.</summary>
public interface IDiskImages
{
    Task<DiskInfo> InfoAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// A qcow2 overlay whose backing file is <paramref name="backingFile"/>, which qemu only ever
    /// opens read-only through it. A size larger than the backing file's grows the disk.
    /// </summary>
    Task CreateOverlayAsync(string overlay, string backingFile, string backingFormat, long? size, CancellationToken cancellationToken);

    /// <summary>Writes a standalone image (no backing file) in the given format.</summary>
    Task ConvertAsync(string source, string sourceFormat, string target, string targetFormat, CancellationToken cancellationToken);
}

/// <summary>qemu-img failed: its own message, and what we asked of it.</summary>
public sealed class DiskImageException(string operation, string message) : Exception($"qemu-img {operation} failed: {message}");
