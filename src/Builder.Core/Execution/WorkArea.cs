namespace Builder.Execution;

/// <summary>
/// A private folder beside the output for the overlay and the image being written, so the final
/// rename stays on one filesystem. Deleted on dispose, whatever happened.
/// </summary>
internal sealed class WorkArea : IDisposable
{
    /// <summary>The output folder, when this build created it: removed again if the build leaves it empty.</summary>
    private readonly string? createdFolder;

    private WorkArea(string path, string? createdFolder)
    {
        Path = path;
        this.createdFolder = createdFolder;
    }

    public string Path { get; }

    public string Overlay => System.IO.Path.Combine(Path, "overlay.qcow2");

    /// <summary>The overlay of a layer that is not cached (it reads a secret, or follows one that does).</summary>
    public string LayerOverlay(int number) => System.IO.Path.Combine(Path, $"layer-{number}.qcow2");

    /// <summary>The raw disk a reproducible output's seal writes, before the emit converts it.</summary>
    public string SealedDisk => System.IO.Path.Combine(Path, "sealed.raw");

    public string PendingOutput => System.IO.Path.Combine(Path, "output.partial");

    public string PendingManifest => System.IO.Path.Combine(Path, "manifest.partial");

    /// <summary>Names start with a dot and hold "builder-work" so a later `builder doctor` can find leftovers of a killed build.</summary>
    public static WorkArea CreateBeside(string outputPath)
    {
        var folder = System.IO.Path.GetDirectoryName(outputPath)!;
        var created = Directory.Exists(folder) ? null : folder;
        Directory.CreateDirectory(folder);
        var name = $".{System.IO.Path.GetFileName(outputPath)}.builder-work-{Guid.NewGuid().ToString("N")[..8]}";
        var path = System.IO.Path.Combine(folder, name);
        Directory.CreateDirectory(path);
        return new WorkArea(path, created);
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
        if (createdFolder is not null && !Directory.EnumerateFileSystemEntries(createdFolder).Any())
            Directory.Delete(createdFolder);
    }
}
