namespace Builder.Execution;

/// <summary>
/// A private folder beside the output for the overlay and the image being written, so the final
/// rename stays on one filesystem. Deleted on dispose, whatever happened.
/// </summary>
internal sealed class WorkArea : IDisposable
{
    private WorkArea(string path) => Path = path;

    public string Path { get; }

    public string Overlay => System.IO.Path.Combine(Path, "overlay.qcow2");

    public string PendingOutput => System.IO.Path.Combine(Path, "output.partial");

    public string PendingManifest => System.IO.Path.Combine(Path, "manifest.partial");

    /// <summary>Names start with a dot and hold "builder-work" so a later `builder doctor` can find leftovers of a killed build.</summary>
    public static WorkArea CreateBeside(string outputPath)
    {
        var folder = System.IO.Path.GetDirectoryName(outputPath)!;
        Directory.CreateDirectory(folder);
        var name = $".{System.IO.Path.GetFileName(outputPath)}.builder-work-{Guid.NewGuid().ToString("N")[..8]}";
        var path = System.IO.Path.Combine(folder, name);
        Directory.CreateDirectory(path);
        return new WorkArea(path);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
