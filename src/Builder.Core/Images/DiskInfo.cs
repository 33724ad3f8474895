namespace Builder.Images;

/// <summary>What qemu-img says about a disk image.</summary>
/// <param name="Format">qemu's name of the format: "qcow2", "raw".</param>
/// <param name="VirtualSize">The size the guest sees, in bytes.</param>
/// <param name="ActualSize">Bytes allocated on the host.</param>
/// <param name="BackingFile">The backing file as recorded in the image, when there is one.</param>
public sealed record DiskInfo(string Format, long VirtualSize, long ActualSize, string? BackingFile);
