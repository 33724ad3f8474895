using Builder.IntegrationTests.Guestfs;

namespace Builder.IntegrationTests.Reliability;

/// <summary>
/// A 64 MiB raw ext4 template made by the test, with just enough of a Debian tree to be inspected and
/// these traps: /etc/hostname a block device node of a loop device the test made (the victim, whose
/// content must never change), /dev/zero a char device node (1:5) and /etc/shadow a symlink to it,
/// /dev/mem (1:1), a setuid-root file, a symlink loop (/etc/loop-a -> loop-b -> loop-a) and a 1 TiB
/// sparse file. Shared by the tests of a class; its sha256 is taken once made. Beside it, a second
/// template of the same plain tree (no traps) whose filesystem is full, to its last block.
/// </summary>
public sealed class HostileTemplate : IDisposable
{
    public HostileTemplate()
    {
        Folder = Directory.CreateTempSubdirectory("builder-hostile-").FullName;
        Victim = System.IO.Path.Combine(Folder, "victim.img");
        using (var victim = File.Create(Victim))
        {
            victim.SetLength(4 << 20);
            victim.Write("VICTIM, never written"u8);
        }
        VictimSha256 = Tools.Sha256(Victim);
        VictimDevice = Tools.Run("losetup", "--find", "--show", Victim).Trim();
        var root = Directory.CreateDirectory(System.IO.Path.Combine(Folder, "tree")).FullName;
        WritePlainTree(root);
        FullImage = System.IO.Path.Combine(Folder, "full.raw");
        MakeFull(root, FullImage);
        FullSha256 = Tools.Sha256(FullImage);
        var (major, minor) = DeviceNumbers(VictimDevice);
        Tools.Run("mknod", System.IO.Path.Combine(root, "etc/hostname"), "b", $"{major}", $"{minor}");
        Tools.Run("mknod", System.IO.Path.Combine(root, "dev/zero"), "c", "1", "5");
        Tools.Run("mknod", System.IO.Path.Combine(root, "dev/mem"), "c", "1", "1");
        File.CreateSymbolicLink(System.IO.Path.Combine(root, "etc/shadow"), "/dev/zero");
        File.CreateSymbolicLink(System.IO.Path.Combine(root, "etc/loop-a"), "loop-b");
        File.CreateSymbolicLink(System.IO.Path.Combine(root, "etc/loop-b"), "loop-a");
        var setuid = System.IO.Path.Combine(root, "usr/local/bin/setuid-root");
        File.Copy("/bin/sh", setuid);
        File.SetUnixFileMode(setuid, (UnixFileMode)Convert.ToInt32("4755", 8));
        using (var sparse = File.Create(System.IO.Path.Combine(root, "srv/terabyte.img"))) sparse.SetLength(1L << 40);
        Image = System.IO.Path.Combine(Folder, "hostile.raw");
        using (var disk = File.Create(Image)) disk.SetLength(64 << 20);
        Tools.Run("mke2fs", "-q", "-F", "-t", "ext4", "-L", "root", "-d", root, Image);
        Directory.Delete(root, recursive: true);
        Sha256 = Tools.Sha256(Image);
    }

    public string Folder { get; }

    /// <summary>The template: a raw disk holding one ext4 filesystem.</summary>
    public string Image { get; }

    public string Sha256 { get; }

    /// <summary>The full template: a raw disk holding one ext4 filesystem without a free block.</summary>
    public string FullImage { get; }

    public string FullSha256 { get; }

    /// <summary>The file behind <see cref="VictimDevice"/>, the host block device the guest's /etc/hostname node names.</summary>
    public string Victim { get; }

    public string VictimSha256 { get; }

    public string VictimDevice { get; }

    public void Dispose()
    {
        Tools.Exec(null, "losetup", "--detach", VictimDevice);
        Directory.Delete(Folder, recursive: true);
    }

    /// <summary>Just enough of a Debian tree to be inspected.</summary>
    private static void WritePlainTree(string root)
    {
        foreach (var folder in new[] { "etc", "dev", "usr/bin", "usr/local/bin", "var/lib/dpkg", "srv", "root" })
            Directory.CreateDirectory(System.IO.Path.Combine(root, folder));
        File.Copy("/bin/sh", System.IO.Path.Combine(root, "usr/bin/sh"));
        File.CreateSymbolicLink(System.IO.Path.Combine(root, "bin"), "usr/bin");
        File.WriteAllText(System.IO.Path.Combine(root, "etc/os-release"), "NAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID=\"12\"\n");
        File.WriteAllText(System.IO.Path.Combine(root, "etc/debian_version"), "12.0\n");
        File.WriteAllText(System.IO.Path.Combine(root, "etc/fstab"), "LABEL=root / ext4 defaults 0 1\n");
        File.WriteAllText(System.IO.Path.Combine(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        File.WriteAllText(System.IO.Path.Combine(root, "etc/group"), "root:x:0:\n");
        File.WriteAllText(System.IO.Path.Combine(root, "var/lib/dpkg/status"), "");
    }

    /// <summary>
    /// A 32 MiB ext4 (no reserved blocks) of the tree, then filled: loop-mounted here, a file written
    /// until "No space left on device" until df shows nothing available, then unmounted.
    /// </summary>
    private void MakeFull(string root, string image)
    {
        using (var disk = File.Create(image)) disk.SetLength(32 << 20);
        Tools.Run("mke2fs", "-q", "-F", "-t", "ext4", "-m", "0", "-L", "root", "-d", root, image);
        var mountPoint = Directory.CreateDirectory(System.IO.Path.Combine(Folder, "filling")).FullName;
        Tools.Run("mount", "-o", "loop", image, mountPoint);
        try
        {
            // Big writes first, then 1 KiB ones for what the first left (blocks reserved for delayed allocation are freed by the sync).
            foreach (var blockSize in new[] { "64k", "1k" })
            {
                var (code, _, error) = Tools.Exec(null, "dd", "if=/dev/zero", $"of={mountPoint}/srv/filler", $"bs={blockSize}", "oflag=append", "conv=notrunc");
                if (code == 0 || !error.Contains("No space left on device", StringComparison.Ordinal))
                    throw new InvalidOperationException($"filling the template's filesystem: {error}");
                Tools.Run("sync", "-f", mountPoint);
            }
            var available = Tools.Run("df", "--output=avail", mountPoint).Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim();
            if (available != "0") throw new InvalidOperationException($"the full template still has {available} KiB free");
        }
        finally
        {
            Tools.Run("umount", mountPoint);
        }
        Directory.Delete(mountPoint);
    }

    private static (int Major, int Minor) DeviceNumbers(string device)
    {
        var numbers = Tools.Run("stat", "-c", "%t %T", device).Trim().Split(' ');
        return (Convert.ToInt32(numbers[0], 16), Convert.ToInt32(numbers[1], 16));
    }
}
