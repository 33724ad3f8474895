using System.Text;
using Builder.Guests;

namespace Builder.IntegrationTests.Host;

/// <summary>Symlinks, globs and deletes on the host backend, with the appliance's assertions.</summary>
public sealed partial class HostGuestTests
{
    [Fact]
    public async Task Symlink_replaces_an_existing_link_or_file()
    {
        await Guest.SymlinkAsync("/usr/share/zoneinfo/Europe/London", "/etc/localtime");
        await Guest.WriteFileAsync("/srv/was-a-file", Bytes("x"));
        await Guest.SymlinkAsync("/etc/hostname", "/srv/was-a-file");

        Assert.Equal(GuestFileType.Symlink, (await Guest.LstatAsync("/etc/localtime"))!.Type);
        Assert.Equal("TZif2 placeholder for Europe/London\n", Encoding.UTF8.GetString(await Guest.ReadFileAsync("/etc/localtime")));
        Assert.Equal(GuestFileType.Symlink, (await Guest.LstatAsync("/srv/was-a-file"))!.Type);
        Assert.Equal("tiny\n", Encoding.UTF8.GetString(await Guest.ReadFileAsync("/srv/was-a-file")));
        Assert.Equal("/usr/share/zoneinfo/Europe/London", await Guest.ReadLinkAsync("/etc/localtime"));
    }

    [Fact]
    public async Task Reads_a_relative_link_target_as_stored()
    {
        await Guest.SymlinkAsync("../etc/hostname", "/srv/relative-link");

        Assert.Equal("../etc/hostname", await Guest.ReadLinkAsync("/srv/relative-link"));
        Assert.Equal("tiny\n", Encoding.UTF8.GetString(await Guest.ReadFileAsync("/srv/relative-link")));
    }

    [Fact]
    public async Task Symlink_over_a_link_to_a_directory_replaces_the_link_instead_of_writing_into_the_directory()
    {
        await Guest.MkdirAsync("/srv/linked-dir");
        await Guest.SymlinkAsync("/srv/linked-dir", "/srv/dir-link");

        await Guest.SymlinkAsync("/etc", "/srv/dir-link");

        Assert.Null(await Guest.LstatAsync("/srv/linked-dir/etc"));
        Assert.Equal("tiny\n", Encoding.UTF8.GetString(await Guest.ReadFileAsync("/srv/dir-link/hostname")));
    }

    [Fact]
    public async Task Symlink_refuses_to_replace_a_directory()
    {
        await Guest.MkdirAsync("/srv/real-dir");

        var error = await Assert.ThrowsAsync<GuestOperationException>(() => Guest.SymlinkAsync("/etc", "/srv/real-dir").AsTask());

        Assert.Equal(("symlink", "/srv/real-dir", "a directory is in the way"), (error.Operation, error.GuestPath, error.BackendMessage));
        Assert.Equal(GuestFileType.Directory, (await Guest.LstatAsync("/srv/real-dir"))!.Type);
    }

    [Fact]
    public async Task Writes_through_absolute_symlink_inside_the_guest()
    {
        await Guest.SymlinkAsync("/srv/real", "/etc/abs");
        await Guest.MkdirAsync("/srv/real-parent");
        await Guest.SymlinkAsync("/srv/real-parent", "/etc/abs-dir");

        await Guest.WriteFileAsync("/etc/abs", Bytes("through the link\n"));
        await Guest.WriteFileAsync("/etc/abs-dir/child", Bytes("through the parent\n"));

        Assert.Equal(GuestFileType.Symlink, (await Guest.LstatAsync("/etc/abs"))!.Type);
        Assert.Equal(new GuestStat(GuestFileType.Regular, Octal("644"), 0, 0, 17), await Guest.LstatAsync("/srv/real"));
        Assert.Equal("through the link\n", Encoding.UTF8.GetString(await Guest.ReadFileAsync("/srv/real")));
        Assert.Equal("through the parent\n", Encoding.UTF8.GetString(await Guest.ReadFileAsync("/srv/real-parent/child")));
        Assert.False(File.Exists("/srv/real"), "the link must resolve inside the guest, never on the host");
    }

    [Fact]
    public async Task Expands_a_glob_in_sorted_order_and_an_unmatched_one_to_nothing()
    {
        await Guest.MkdirAsync("/srv/archives/partial.deb");
        foreach (var name in new[] { "b.deb", "a.deb", "c.deb", "notes.txt", ".hidden.deb" })
            await Guest.WriteFileAsync($"/srv/archives/{name}", Bytes(name));

        var matches = await Guest.GlobAsync("/srv/archives/*.deb");

        Assert.Equal(["/srv/archives/a.deb", "/srv/archives/b.deb", "/srv/archives/c.deb", "/srv/archives/partial.deb"], matches);
        Assert.Empty(await Guest.GlobAsync("/srv/archives/*.rpm"));
        Assert.Equal(["/srv/archives/.hidden.deb"], await Guest.GlobAsync("/srv/archives/.*.deb"));
        Assert.Equal(["/srv/archives/a.deb", "/srv/archives/notes.txt"], await Guest.GlobAsync("/srv/archives/{a.deb,notes.*}"));
        Assert.Equal(["/srv/archives/b.deb", "/srv/archives/c.deb"], await Guest.GlobAsync("/srv/arch?ves/[b-c].deb"));
        Assert.Equal(["/etc/hostname"], await Guest.GlobAsync("/etc/hostname"));
        Assert.Equal(["/bin/sh"], await Guest.GlobAsync("/b*/s?"));
    }

    [Fact]
    public async Task Deletes_files_and_trees_and_accepts_a_missing_path()
    {
        await Guest.MkdirAsync("/srv/tree/a/b");
        await Guest.WriteFileAsync("/srv/tree/a/b/file", Bytes("x"));
        await Guest.SymlinkAsync("/etc", "/srv/tree/a/etc-link");
        await Guest.WriteFileAsync("/srv/lone", Bytes("x"));

        await Guest.DeleteAsync("/srv/tree");
        await Guest.DeleteAsync("/srv/lone");
        await Guest.DeleteAsync("/srv/never-existed");
        await Guest.DeleteAsync("/no/such/parent/child");

        Assert.Null(await Guest.LstatAsync("/srv/tree"));
        Assert.Null(await Guest.LstatAsync("/srv/lone"));
        Assert.Equal("tiny\n", Encoding.UTF8.GetString(await Guest.ReadFileAsync("/etc/hostname")));
    }

    [Fact]
    public async Task Deleting_a_symlink_to_a_folder_removes_the_link_only()
    {
        await Guest.MkdirAsync("/srv/kept/inside");
        await Guest.SymlinkAsync("/srv/kept", "/srv/kept-link");

        await Guest.DeleteAsync("/srv/kept-link");

        Assert.Null(await Guest.LstatAsync("/srv/kept-link"));
        Assert.Equal(GuestFileType.Directory, (await Guest.LstatAsync("/srv/kept/inside"))!.Type);
    }
}
