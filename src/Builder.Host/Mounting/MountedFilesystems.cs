using Builder.Host.Files;
using Builder.Host.Native;
using Builder.Host.Sessions;

namespace Builder.Host.Mounting;

/// <summary>The guest filesystems a session has mounted, as the kernel sees them, and flushing them to the image.</summary>
internal static class MountedFilesystems
{
    /// <summary>syncfs on every guest filesystem: through the loop devices and the export, into the image file.</summary>
    public static void Sync(GuestRoot root)
    {
        foreach (var (guestPath, _) in List(root))
        {
            using var folder = root.Open(guestPath, OpenFlags.ReadOnly | OpenFlags.Directory);
            if (LibC.Syncfs(folder.Number) != 0) throw NativeException.Last("syncfs");
        }
    }

    /// <summary>The guest filesystems mounted under the root (guest path and loop device), as the kernel's mount table says.</summary>
    public static List<(string GuestPath, string Device)> List(GuestRoot root)
    {
        var rootFolder = root.Fd.HostPath();
        return HostState.Mounts()
            .Where(m => m.Source.StartsWith("/dev/loop", StringComparison.Ordinal))
            .Where(m => m.MountPoint == rootFolder || m.MountPoint.StartsWith(rootFolder + "/", StringComparison.Ordinal))
            .Select(m => (GuestPath: m.MountPoint == rootFolder ? "/" : m.MountPoint[rootFolder.Length..], Device: m.Source))
            .DistinctBy(m => m.GuestPath)
            .ToList();
    }
}
