namespace Builder.Images;

/// <summary>How qemu-img convert writes an image.</summary>
/// <param name="Format">qemu's name of the format: "qcow2", "vmdk".</param>
/// <param name="Options">Creation options for -o ("subformat=streamOptimized"), or null.</param>
/// <param name="Compress">-c: compress the data clusters (qcow2).</param>
public sealed record ConvertTarget(string Format, string? Options = null, bool Compress = false);
