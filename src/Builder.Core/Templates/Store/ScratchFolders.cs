using System.Collections.Concurrent;

namespace Builder.Templates.Store;

/// <summary>
/// The store's scratch folders (tmp/), where a template is built or downloaded and `builder verify`
/// builds. Each holds a lock on a file in it for as long as its process runs, so one whose lock is
/// free was left by a killed process: the next scratch folder made in the store removes those, and
/// so does `builder doctor --clean`.
/// </summary>
public static class ScratchFolders
{
    private const string OwnerLock = ".owner.lock";

    /// <summary>A folder found without its lock file is one being made, unless it is older than this.</summary>
    private static readonly TimeSpan Unlocked = TimeSpan.FromMinutes(10);

    /// <summary>The locks this process holds, by folder; released once their folder is gone.</summary>
    private static readonly ConcurrentDictionary<string, FileStream> Held = new(StringComparer.Ordinal);

    internal static string Create(string root)
    {
        ReleaseDeleted();
        RemoveAbandoned(root);
        var folder = Path.Combine(root, "tmp", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        Held[folder] = new FileStream(Path.Combine(folder, OwnerLock), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        return folder;
    }

    /// <summary>Scratch folders of the store whose process is gone.</summary>
    public static IReadOnlyList<string> FindAbandoned(string root) => Folders(root).Where(IsAbandoned).ToList();

    /// <summary>Removes the scratch folders whose process is gone; returns them.</summary>
    public static IReadOnlyList<string> RemoveAbandoned(string root)
    {
        var removed = new List<string>();
        foreach (var folder in Folders(root))
        {
            try
            {
                var lockFile = Path.Combine(folder, OwnerLock);
                // Held while removing, so two processes never both remove it; a live process's lock cannot be taken (IOException).
                using var abandoned = File.Exists(lockFile) ? new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None) : null;
                if (abandoned is null && DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) < Unlocked) continue;
                TemplateStore.DeleteTree(folder);
                removed.Add(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // In use, being removed by another process, or not removable now: looked at again next time.
            }
        }
        return removed;
    }

    private static bool IsAbandoned(string folder)
    {
        var lockFile = Path.Combine(folder, OwnerLock);
        try
        {
            if (!File.Exists(lockFile)) return DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) >= Unlocked;
            using var probe = new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static IEnumerable<string> Folders(string root)
    {
        var tmp = Path.Combine(root, "tmp");
        return Directory.Exists(tmp) ? Directory.EnumerateDirectories(tmp).ToList() : [];
    }

    /// <summary>Closes the locks of folders their owner has deleted.</summary>
    private static void ReleaseDeleted()
    {
        foreach (var (folder, held) in Held)
            if (!Directory.Exists(folder) && Held.TryRemove(folder, out _)) held.Dispose();
    }
}
