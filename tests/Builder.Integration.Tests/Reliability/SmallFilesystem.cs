using Builder.IntegrationTests.Guestfs;

namespace Builder.IntegrationTests.Reliability;

/// <summary>
/// A 300 MB ext4 filesystem in a file, loop-mounted at a folder of the test: somewhere for the
/// output or the store to run out of space. Unmounted (and its loop device detached) on dispose,
/// whatever happened.
/// </summary>
internal sealed class SmallFilesystem : IDisposable
{
    private readonly string image;

    public SmallFilesystem(string folder, long megabytes = 300)
    {
        image = System.IO.Path.Combine(folder, "small-filesystem.img");
        MountPoint = Directory.CreateDirectory(System.IO.Path.Combine(folder, "small")).FullName;
        using (var file = File.Create(image)) file.SetLength(megabytes << 20);
        Tools.Run("mkfs.ext4", "-q", "-F", image);
        Tools.Run("mount", "-o", "loop", image, MountPoint);
        Device = Tools.Run("findmnt", "-n", "-o", "SOURCE", MountPoint).Trim();
    }

    public string MountPoint { get; }

    /// <summary>The loop device the filesystem is mounted from (/dev/loopN).</summary>
    public string Device { get; }

    public string Path(string name) => System.IO.Path.Combine(MountPoint, name);

    /// <summary>Every file and folder on the filesystem, relative to it, but lost+found.</summary>
    public IReadOnlyList<string> Entries() =>
        Directory.EnumerateFileSystemEntries(MountPoint, "*", SearchOption.AllDirectories)
            .Select(p => System.IO.Path.GetRelativePath(MountPoint, p)).Where(p => p != "lost+found").Order(StringComparer.Ordinal).ToList();

    public void Dispose()
    {
        // mount -o loop sets autoclear: the loop device goes with the mount.
        if (Tools.Exec(null, "umount", MountPoint).Code != 0) Tools.Exec(null, "umount", "-l", MountPoint);
        File.Delete(image);
    }
}
