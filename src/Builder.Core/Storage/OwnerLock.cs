namespace Builder.Storage;

/// <summary>
/// A folder's owner lock: the process that made the folder holds an exclusive lock (flock) on a file
/// in it for as long as it runs, so a folder whose lock can be taken was left by a process that died
/// (SIGKILL, a crash) and may be removed. Work areas beside outputs and the store's scratch folders use it.
/// </summary>
internal static class OwnerLock
{
    /// <summary>A folder found without its lock file is one being made, unless it is older than this (its maker died making it).</summary>
    private static readonly TimeSpan Unlocked = TimeSpan.FromMinutes(10);

    /// <summary>Creates the lock file in a new folder and holds it until the stream is disposed.</summary>
    public static FileStream Take(string folder, string lockName) =>
        new(Path.Combine(folder, lockName), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);

    /// <summary>Whether the process that made the folder is gone: its lock can be taken, or it has none and is old.</summary>
    public static bool IsAbandoned(string folder, string lockName)
    {
        try
        {
            using var probe = TakeLeft(folder, lockName);
            return probe is not null || IsOldWithoutLock(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Deletes the folder when its process is gone, holding its lock meanwhile so that two processes never
    /// both delete it. False when its process runs, another process is deleting it, or it cannot be deleted
    /// now: it is looked at again next time.
    /// </summary>
    public static bool RemoveIfAbandoned(string folder, string lockName, Action<string> delete)
    {
        try
        {
            using var abandoned = TakeLeft(folder, lockName);
            if (abandoned is null && !IsOldWithoutLock(folder)) return false;
            delete(folder);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The lock of a folder whose process is gone, null when it has no lock file; a running process's lock throws (IOException).</summary>
    private static FileStream? TakeLeft(string folder, string lockName)
    {
        var lockFile = Path.Combine(folder, lockName);
        return File.Exists(lockFile) ? new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None) : null;
    }

    private static bool IsOldWithoutLock(string folder) =>
        Directory.Exists(folder) && DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) >= Unlocked;
}
