namespace Builder.Execution;

/// <summary>
/// A private folder beside the output for the overlay and the image being written, so the final
/// rename stays on one filesystem. Deleted on dispose, whatever happened. A build killed outright
/// (SIGKILL, a crash) cannot delete it, so each work area holds a lock on a file in it while its
/// build runs, and the next build of the same output removes those whose lock is free.
/// </summary>
internal sealed class WorkArea : IDisposable
{
    private const string OwnerLock = "owner.lock";

    /// <summary>A work area found without its lock file is one being made, unless it is older than this (its build died making it).</summary>
    private static readonly TimeSpan Unlocked = TimeSpan.FromMinutes(10);

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
        var owner = new FileStream(System.IO.Path.Combine(path, OwnerLock), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        return new WorkArea(path, created, owner);
    }

    /// <summary>
    /// Removes the work areas of this output left by builds that died (their lock is free, or they
    /// have none and are old); work areas of running builds are left alone. Returns what was removed.
    /// </summary>
    public static IReadOnlyList<string> RemoveAbandonedBeside(string outputPath)
    {
        var folder = System.IO.Path.GetDirectoryName(outputPath)!;
        if (!Directory.Exists(folder)) return [];
        var removed = new List<string>();
        foreach (var area in Directory.EnumerateDirectories(folder, Prefix(outputPath) + "*"))
        {
            try
            {
                var lockFile = System.IO.Path.Combine(area, OwnerLock);
                // Held while removing, so two builds never both remove it; a running build's lock cannot be taken (IOException).
                using var abandoned = File.Exists(lockFile) ? new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None) : null;
                if (abandoned is null && DateTime.UtcNow - Directory.GetLastWriteTimeUtc(area) < Unlocked) continue;
                // A qemu-img the dead build ran may still be writing into it.
                OrphanedProcesses.Kill(OrphanedProcesses.Find(named => named == area));
                Directory.Delete(area, recursive: true);
                removed.Add(area);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Its build is running, another build is removing it, or it cannot be removed: it is looked at again next time.
            }
        }
        return removed;
    }

    /// <summary>Whether the build that made this work area is gone: its lock can be taken, or it has none and is old.</summary>
    internal static bool IsAbandoned(string area)
    {
        var lockFile = System.IO.Path.Combine(area, OwnerLock);
        try
        {
            if (!File.Exists(lockFile)) return Directory.Exists(area) && DateTime.UtcNow - Directory.GetLastWriteTimeUtc(area) >= Unlocked;
            using var probe = new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

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
