using System.Collections.Concurrent;
using Builder.Storage;

namespace Builder.Templates.Store;

/// <summary>
/// The store's scratch folders (tmp/), where a template is built or downloaded and `builder verify`
/// builds. Each holds a lock on a file in it for as long as its process runs, so one whose lock is
/// free was left by a killed process: the next scratch folder made in the store removes those, and
/// so does `builder doctor --clean`.
/// </summary>
public static class ScratchFolders
{
    private const string LockName = ".owner.lock";

    /// <summary>The locks this process holds, by folder; released once their folder is gone.</summary>
    private static readonly ConcurrentDictionary<string, FileStream> Held = new(StringComparer.Ordinal);

    internal static string Create(string root)
    {
        ReleaseDeleted();
        RemoveAbandoned(root);
        var folder = Path.Combine(root, "tmp", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        Held[folder] = OwnerLock.Take(folder, LockName);
        return folder;
    }

    /// <summary>Scratch folders of the store whose process is gone.</summary>
    public static IReadOnlyList<string> FindAbandoned(string root) => Folders(root).Where(folder => OwnerLock.IsAbandoned(folder, LockName)).ToList();

    /// <summary>Removes the scratch folders whose process is gone; returns them.</summary>
    public static IReadOnlyList<string> RemoveAbandoned(string root) =>
        Folders(root).Where(folder => OwnerLock.RemoveIfAbandoned(folder, LockName, TemplateStore.DeleteTree)).ToList();

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
