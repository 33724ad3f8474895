using Builder.Guests;

namespace Builder.IntegrationTests.Contracts;

/// <summary>Symlinks: made, replaced, read, and followed inside the guest only.</summary>
public abstract partial class GuestContract
{
    [Fact]
    public async Task Symlink_replaces_an_existing_link_or_file()
    {
        await Guest.SymlinkAsync("/usr/share/zoneinfo/Europe/London", "/etc/localtime");
        await Guest.WriteFileAsync("/srv/was-a-file", Bytes("x"));
        await Guest.SymlinkAsync("/etc/hostname", "/srv/was-a-file");

        Assert.Equal(GuestFileType.Symlink, (await Guest.LstatAsync("/etc/localtime"))!.Type);
        Assert.Equal("TZif2 placeholder for Europe/London\n", await ReadTextAsync("/etc/localtime"));
        Assert.Equal(GuestFileType.Symlink, (await Guest.LstatAsync("/srv/was-a-file"))!.Type);
        Assert.Equal("tiny\n", await ReadTextAsync("/srv/was-a-file"));
        Assert.Equal("/usr/share/zoneinfo/Europe/London", await Guest.ReadLinkAsync("/etc/localtime"));
    }

    [Fact]
    public async Task Reads_a_relative_link_target_as_stored()
    {
        await Guest.SymlinkAsync("../etc/hostname", "/srv/relative-link");

        Assert.Equal("../etc/hostname", await Guest.ReadLinkAsync("/srv/relative-link"));
        Assert.Equal("tiny\n", await ReadTextAsync("/srv/relative-link"));
    }

    [Fact]
    public async Task Symlink_over_a_link_to_a_directory_replaces_the_link_instead_of_writing_into_the_directory()
    {
        await Guest.MkdirAsync("/srv/linked-dir");
        await Guest.SymlinkAsync("/srv/linked-dir", "/srv/dir-link");

        await Guest.SymlinkAsync("/etc", "/srv/dir-link");

        Assert.Null(await Guest.LstatAsync("/srv/linked-dir/etc"));
        Assert.Equal("tiny\n", await ReadTextAsync("/srv/dir-link/hostname"));
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
        Assert.Equal("through the link\n", await ReadTextAsync("/srv/real"));
        Assert.Equal("through the parent\n", await ReadTextAsync("/srv/real-parent/child"));
        Assert.False(File.Exists("/srv/real"), "the link must resolve inside the guest, never on the host");
    }
}
