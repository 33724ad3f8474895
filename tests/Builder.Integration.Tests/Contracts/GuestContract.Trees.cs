using Builder.Guests;

namespace Builder.IntegrationTests.Contracts;

/// <summary>Globs and deletes.</summary>
public abstract partial class GuestContract
{
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
        Assert.Equal("tiny\n", await ReadTextAsync("/etc/hostname"));
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
