using Builder.Guestfs.Native;

namespace Builder.Guestfs.Tree;

/// <summary>
/// Runs a read of the whole guest with its writable filesystems remounted read-only, then writable
/// again: reading every file on a relatime mount would write new access times (and journal blocks)
/// into the image, and a read-only mount writes none. Filesystems that were read-only stay so.
/// </summary>
internal static class ReadOnlyMounts
{
    public static void While(GuestfsConnection g, Action read)
    {
        var writable = g.Mountpoints().Select(m => m.Value).Where(m => !g.IsReadOnly(m)).OrderBy(m => m.Length).ToList();
        var remounted = new List<string>();
        try
        {
            foreach (var mountpoint in writable)
            {
                g.Remount(mountpoint, writable: false);
                remounted.Add(mountpoint);
            }
            read();
        }
        finally
        {
            foreach (var mountpoint in Enumerable.Reverse(remounted)) g.Remount(mountpoint, writable: true);
        }
    }
}
