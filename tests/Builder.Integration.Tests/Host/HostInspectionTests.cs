using System.Text;
using System.Text.Json;
using Builder.Execution;
using Builder.Guests;
using Builder.IntegrationTests.Guestfs;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Host;

/// <summary>Inspection on a disk shaped like Fedora's: GPT, /boot by PARTUUID, swap, btrfs with root and home subvolumes.</summary>
[Collection(HostBackendCollection.Name)]
public sealed class HostInspectionTests(ITestOutputHelper output) : IDisposable
{
    private readonly TestWorkspace _workspace = TestWorkspace.Create("host-inspect");

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Inspection_mounts_what_fstab_says_by_uuid_partuuid_and_btrfs_subvolume()
    {
        var disk = BuildFedoraLikeDisk();
        var events = new RecordingEvents();

        var (guest, opened) = await HostTools.OpenAsync(HostTools.Backend(_workspace.File("store")), new GuestDisk(disk, "raw"), events);
        await using (guest)
        {
            output.WriteLine($"inspected and mounted in {opened.TotalMilliseconds:0} ms");
            Assert.Equal(new GuestInfo("linux", "fedora", 40, 0, "dnf", "/dev/sda3", "x86_64"), guest.Info);
            Assert.Equal("vmlinuz\n", Encoding.UTF8.GetString(await guest.ReadFileAsync("/boot/kernel")));
            Assert.Equal("alice's\n", Encoding.UTF8.GetString(await guest.ReadFileAsync("/home/alice/file")));
            Assert.Null(await guest.LstatAsync("/root-subvolume-marker"));
            await guest.WriteFileAsync("/boot/new", Encoding.UTF8.GetBytes("boot\n"));
            await guest.WriteFileAsync("/home/alice/new", Encoding.UTF8.GetBytes("home\n"));
        }

        var notice = Assert.Single(events.OfType<Notice>());
        Assert.Equal("could not mount LABEL=missing at /srv (not on this disk); continuing without it", notice.Message);
        Assert.Empty(HostTools.LeftBehind(_workspace.Path));
        Assert.Empty(HostTools.LoopsOn(disk));
        var (again, _) = await HostTools.OpenAsync(HostTools.Backend(_workspace.File("store")), new GuestDisk(disk, "raw"), new RecordingEvents());
        await using (again)
        {
            Assert.Equal("boot\n", Encoding.UTF8.GetString(await again.ReadFileAsync("/boot/new")));
            Assert.Equal("home\n", Encoding.UTF8.GetString(await again.ReadFileAsync("/home/alice/new")));
        }
    }

    /// <summary>p1 ext2 (/boot), p2 swap, p3 btrfs with subvolumes root and home, made on loop devices and filled by mounting them.</summary>
    private string BuildFedoraLikeDisk()
    {
        var disk = _workspace.File("fedora.raw");
        using (var stream = File.Create(disk)) stream.SetLength(400L << 20);
        Tools.Run("sh", "-c", $"printf 'label: gpt\\nsize=64M\\nsize=32M, type=S\\ntype=L\\n' | sfdisk --quiet {disk}");
        var partitions = JsonDocument.Parse(Tools.Run("sfdisk", "--json", disk)).RootElement.GetProperty("partitiontable").GetProperty("partitions")
            .EnumerateArray().Select(p => (Start: p.GetProperty("start").GetInt64() * 512, Size: p.GetProperty("size").GetInt64() * 512, Uuid: p.GetProperty("uuid").GetString()!))
            .ToList();
        var mountPoint = Directory.CreateDirectory(_workspace.File("setup")).FullName;

        WithLoop(partitions[0], loop =>
        {
            Tools.Run("mkfs.ext2", "-q", "-L", "boot", loop);
            Tools.Run("mount", loop, mountPoint);
            File.WriteAllText(Path.Combine(mountPoint, "kernel"), "vmlinuz\n");
            Tools.Run("umount", mountPoint);
        });
        WithLoop(partitions[1], loop => Tools.Run("mkswap", "-q", loop));
        WithLoop(partitions[2], loop =>
        {
            Tools.Run("mkfs.btrfs", "-q", "-f", loop);
            var uuid = Tools.Run("blkid", "-p", "-o", "value", "-s", "UUID", loop).Trim();
            Tools.Run("mount", loop, mountPoint);
            try
            {
                File.WriteAllText(Path.Combine(mountPoint, "root-subvolume-marker"), "top level\n");
                Tools.Run("btrfs", "-q", "subvolume", "create", Path.Combine(mountPoint, "root"));
                Tools.Run("btrfs", "-q", "subvolume", "create", Path.Combine(mountPoint, "home"));
                var root = Path.Combine(mountPoint, "root");
                foreach (var folder in new[] { "etc", "usr/bin", "boot", "home", "srv", "data" }) Directory.CreateDirectory(Path.Combine(root, folder));
                File.CreateSymbolicLink(Path.Combine(root, "bin"), "usr/bin");
                File.Copy("/bin/sh", Path.Combine(root, "usr/bin/sh"));
                File.WriteAllText(Path.Combine(root, "usr/bin/dnf"), "#!/bin/sh\n");
                File.WriteAllText(Path.Combine(root, "etc/os-release"), "NAME=\"Fedora Linux\"\nID=fedora\nVERSION_ID=40\n");
                File.WriteAllText(Path.Combine(root, "etc/fstab"), $"""
                    # Fedora-like: btrfs subvolumes, /boot by PARTUUID
                    UUID={uuid} / btrfs subvol=root,compress=zstd:1 0 0
                    PARTUUID={partitions[0].Uuid} /boot ext2 defaults 0 2
                    UUID={uuid} /home btrfs subvol=home,compress=zstd:1 0 0
                    /dev/sda2 none swap defaults 0 0
                    UUID=00000000-dead-beef-0000-000000000000 /data ext4 defaults,nofail 0 2
                    LABEL=missing /srv ext4 defaults 0 2
                    proc /proc proc defaults 0 0
                    tmpfs /tmp tmpfs defaults 0 0

                    """);
                Directory.CreateDirectory(Path.Combine(mountPoint, "home", "alice"));
                File.WriteAllText(Path.Combine(mountPoint, "home", "alice", "file"), "alice's\n");
            }
            finally
            {
                Tools.Run("umount", mountPoint);
            }
        });
        return disk;

        void WithLoop((long Start, long Size, string Uuid) partition, Action<string> use)
        {
            var loop = Tools.Run("losetup", "--find", "--show", "--offset", $"{partition.Start}", "--sizelimit", $"{partition.Size}", disk).Trim();
            try { use(loop); }
            finally { Tools.Run("losetup", "--detach", loop); }
        }
    }
}
