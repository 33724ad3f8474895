using Builder.Images;

namespace Builder.Execution;

/// <summary>What a build wrote: qemu-img's view of the output, its length, and what trimming kept out of it.</summary>
/// <param name="FileSize">The output file's length in bytes (for a raw image, its virtual size; sparse files take less).</param>
/// <param name="SavedByTrimming">Bytes of data the finish's trimming kept out of the image; null when it did not trim.</param>
internal sealed record EmittedImage(DiskInfo Disk, long FileSize, long? SavedByTrimming);
