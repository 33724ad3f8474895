using System.Text;
using Builder.Guests;
using Builder.IntegrationTests.Guestfs;

namespace Builder.IntegrationTests.Host;

public sealed partial class HostSessionLifecycleTests
{
    [Fact]
    public async Task Copy_in_brings_a_folder_tree_with_modes_root_ownership_times_and_symlinks()
    {
        var overlay = _workspace.CreateOverlay(_workspace.BuildTinyTemplate());
        var host = Directory.CreateDirectory(_workspace.File("copy-in")).FullName;
        Directory.CreateDirectory(Path.Combine(host, "nested", "deeper"));
        File.WriteAllText(Path.Combine(host, "run.sh"), "#!/bin/sh\necho hi\n");
        File.WriteAllText(Path.Combine(host, "nested", "secret.txt"), "private\n");
        File.SetUnixFileMode(Path.Combine(host, "nested", "secret.txt"), (UnixFileMode)Convert.ToInt32("600", 8));
        File.SetUnixFileMode(Path.Combine(host, "nested", "deeper"), (UnixFileMode)Convert.ToInt32("750", 8));
        File.CreateSymbolicLink(Path.Combine(host, "link"), "nested/secret.txt");
        File.SetLastWriteTimeUtc(Path.Combine(host, "run.sh"), new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        Tools.Run("chown", "-R", "-h", "1234:1234", host);
        File.SetUnixFileMode(Path.Combine(host, "run.sh"), (UnixFileMode)Convert.ToInt32("4755", 8)); // after chown, which clears setuid

        var (guest, _) = await HostTools.OpenAsync(Backend(), new GuestDisk(overlay, "qcow2"), new RecordingEvents());
        await using (guest)
        {
            await guest.MkdirAsync("/srv/copied");
            await guest.WriteFileAsync("/srv/copied/link", Bytes("a file where a link goes\n"));
            await guest.SymlinkAsync("/etc", "/srv/copied/nested");

            await guest.CopyInAsync(host, "/srv/copied");

            Assert.Equal(new GuestStat(GuestFileType.Regular, Convert.ToInt32("4755", 8), 0, 0, 18), await guest.LstatAsync("/srv/copied/run.sh"));
            Assert.Equal(new GuestStat(GuestFileType.Regular, Convert.ToInt32("600", 8), 0, 0, 8), await guest.LstatAsync("/srv/copied/nested/secret.txt"));
            var deeper = await guest.LstatAsync("/srv/copied/nested/deeper");
            Assert.Equal(new GuestStat(GuestFileType.Directory, Convert.ToInt32("750", 8), 0, 0, deeper!.Size), deeper);
            var link = await guest.LstatAsync("/srv/copied/link");
            Assert.Equal((GuestFileType.Symlink, 0, 0), (link!.Type, link.Uid, link.Gid));
            Assert.Equal("nested/secret.txt", await guest.ReadLinkAsync("/srv/copied/link"));
            Assert.Equal("private\n"u8.ToArray(), await guest.ReadFileAsync("/srv/copied/link"));
            Assert.Equal(Convert.ToInt32("755", 8), (await guest.LstatAsync("/srv/copied"))!.Mode);
            Assert.Null(await guest.LstatAsync("/etc/secret.txt"));
            var missing = await Assert.ThrowsAsync<GuestOperationException>(() => guest.CopyInAsync(host, "/no/such/folder").AsTask());
            Assert.Equal(("copy-in", "/no/such/folder", "no such folder in the guest"), (missing.Operation, missing.GuestPath, missing.BackendMessage));
        }
        var mtime = Tools.Run("debugfs", "-R", "stat /srv/copied/run.sh", PartitionOf(overlay));
        Assert.Matches(@"mtime: .*Thu Jan  2 03:04:05 2020", mtime);
    }
}
