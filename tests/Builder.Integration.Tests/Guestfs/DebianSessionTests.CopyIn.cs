using Builder.Guests;

namespace Builder.IntegrationTests.Guestfs;

public sealed partial class DebianSessionTests
{
    [Fact]
    public async Task Copy_in_brings_a_folder_tree_with_modes_root_ownership_and_symlinks()
    {
        var guest = await GuestAsync();
        var host = Directory.CreateDirectory(session.Workspace.File("copy-in")).FullName;
        Directory.CreateDirectory(Path.Combine(host, "nested", "deeper"));
        File.WriteAllText(Path.Combine(host, "run.sh"), "#!/bin/sh\necho hi\n");
        File.SetUnixFileMode(Path.Combine(host, "run.sh"), (UnixFileMode)Convert.ToInt32("755", 8));
        File.WriteAllText(Path.Combine(host, "nested", "secret.txt"), "private\n");
        File.SetUnixFileMode(Path.Combine(host, "nested", "secret.txt"), (UnixFileMode)Convert.ToInt32("600", 8));
        File.SetUnixFileMode(Path.Combine(host, "nested", "deeper"), (UnixFileMode)Convert.ToInt32("750", 8));
        File.CreateSymbolicLink(Path.Combine(host, "link"), "nested/secret.txt");
        Tools.Run("chown", "-R", "-h", "1234:1234", host);
        await guest.MkdirAsync("/srv/copied");

        await guest.CopyInAsync(host, "/srv/copied");

        Assert.Equal(new GuestStat(GuestFileType.Regular, Convert.ToInt32("755", 8), 0, 0, 18), await guest.LstatAsync("/srv/copied/run.sh"));
        Assert.Equal(new GuestStat(GuestFileType.Regular, Convert.ToInt32("600", 8), 0, 0, 8), await guest.LstatAsync("/srv/copied/nested/secret.txt"));
        Assert.Equal(new GuestStat(GuestFileType.Directory, Convert.ToInt32("750", 8), 0, 0, 4096), await guest.LstatAsync("/srv/copied/nested/deeper"));
        var link = await guest.LstatAsync("/srv/copied/link");
        Assert.Equal((GuestFileType.Symlink, 0, 0), (link!.Type, link.Uid, link.Gid));
        Assert.Equal("nested/secret.txt", await guest.ReadLinkAsync("/srv/copied/link"));
        Assert.Equal("private\n"u8.ToArray(), await guest.ReadFileAsync("/srv/copied/link"));
        Assert.Equal(Convert.ToInt32("755", 8), (await guest.LstatAsync("/srv/copied"))!.Mode);
    }

    [Fact]
    public async Task Copy_in_to_a_missing_guest_folder_is_an_error()
    {
        var guest = await GuestAsync();
        var host = Directory.CreateDirectory(session.Workspace.File("copy-in-missing")).FullName;
        File.WriteAllText(Path.Combine(host, "file"), "x");

        var error = await Assert.ThrowsAsync<GuestOperationException>(() => guest.CopyInAsync(host, "/no/such/folder").AsTask());

        Assert.Equal("/no/such/folder", error.GuestPath);
    }
}
