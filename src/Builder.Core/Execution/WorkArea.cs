using Builder.Storage;

namespace Builder.Execution;

/// <summary>
/// A private folder beside the output for the overlay and the image being written, so the final
/// rename stays on one filesystem. Deleted on dispose, whatever happened. A build killed outright
/// (SIGKILL, a crash) cannot delete it, so each work area holds a lock on a file in it while its
/// build runs, and the next build of the same output removes those whose lock is free.
/// </summary>
internal sealed class WorkArea : IDisposable
{
    private const string LockName = "owner.lock";

    /// <summary>The output folder, when this build created it: removed again if the build leaves it empty.</summary>
    private readonly string? createdFolder;

    /// <summary>Held (flock) while the build runs: a free lock means the build that made this folder is gone.</summary>
    private readonly FileStream owner;

    private WorkArea(string path, string? createdFolder, FileStream owner)
    {
        Path = path;
        this.createdFolder = createdFolder;
        this.owner = owner;
    }

    public string Path { get; }

    public string Overlay => System.IO.Path.Combine(Path, "overlay.qcow2");

    /// <summary>The overlay of a layer that is not cached (it reads a secret, or follows one that does).</summary>
    public string LayerOverlay(int number) => System.IO.Path.Combine(Path, $"layer-{number}.qcow2");

    /// <summary>The raw disk a reproducible output's seal writes, before the emit converts it.</summary>
    public string SealedDisk => System.IO.Path.Combine(Path, "sealed.raw");

    public string PendingOutput => System.IO.Path.Combine(Path, "output.partial");

    public string PendingManifest => System.IO.Path.Combine(Path, "manifest.partial");

    /// <summary>Names start with a dot and hold "builder-work"; the abandoned ones of this output are removed first.</summary>
    public static WorkArea CreateBeside(string outputPath)
    {
        var folder = System.IO.Path.GetDirectoryName(outputPath)!;
        var created = Directory.Exists(folder) ? null : folder;
        Directory.CreateDirectory(folder);
        RemoveAbandonedBeside(outputPath);
        var path = System.IO.Path.Combine(folder, $"{Prefix(outputPath)}{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(path);
        return new WorkArea(path, created, OwnerLock.Take(path, LockName));
    }

    /// <summary>
    /// Removes the work areas of this output left by builds that died (their lock is free, or they
    /// have none and are old); work areas of running builds are left alone. Returns what was removed.
    /// </summary>
    public static IReadOnlyList<string> RemoveAbandonedBeside(string outputPath)
    {
        var folder = System.IO.Path.GetDirectoryName(outputPath)!;
        if (!Directory.Exists(folder)) return [];
        // A qemu-img the dead build ran may still be writing into an abandoned one.
        var areas = Directory.EnumerateDirectories(folder, Prefix(outputPath) + "*").ToList();
        return areas.Where(area => OwnerLock.RemoveIfAbandoned(area, LockName, abandoned =>
        {
            OrphanedProcesses.Kill(OrphanedProcesses.Find(named => named == abandoned));
            Directory.Delete(abandoned, recursive: true);
        })).ToList();
    }

    /// <summary>Whether the build that made this work area is gone: its lock can be taken, or it has none and is old.</summary>
    internal static bool IsAbandoned(string area) => OwnerLock.IsAbandoned(area, LockName);

    private static string Prefix(string outputPath) => $".{System.IO.Path.GetFileName(outputPath)}.builder-work-";

    public void Dispose()
    {
        owner.Dispose();
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
