namespace Builder.Recipes;

/// <summary>Output disk formats, named as qemu-img names them.</summary>
public enum ImageFormat { Qcow2, Raw, Vmdk, Vhdx, Vpc }

public static class ImageFormats
{
    public static string Name(this ImageFormat format) => format.ToString().ToLowerInvariant();

    public static IReadOnlyList<string> Names { get; } = Enum.GetValues<ImageFormat>().Select(f => f.Name()).ToList();

    public static ImageFormat? Parse(string name) =>
        Enum.GetValues<ImageFormat>().Cast<ImageFormat?>().FirstOrDefault(f => f!.Value.Name() == name);

    /// <summary>
    /// The format a file name suggests: ".raw" and ".img" are raw, ".vmdk" vmdk, ".vhdx" vhdx,
    /// ".vhd" and ".vpc" vpc; everything else qcow2.
    /// </summary>
    public static ImageFormat FromExtension(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".raw" or ".img" => ImageFormat.Raw,
        ".vmdk" => ImageFormat.Vmdk,
        ".vhdx" => ImageFormat.Vhdx,
        ".vhd" or ".vpc" => ImageFormat.Vpc,
        _ => ImageFormat.Qcow2,
    };
}
