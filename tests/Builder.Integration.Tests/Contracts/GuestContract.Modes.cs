using Builder.Guests;

namespace Builder.IntegrationTests.Contracts;

/// <summary>Folders, modes and owners.</summary>
public abstract partial class GuestContract
{
    [Fact]
    public async Task Creates_a_directory_with_its_missing_parents_and_accepts_an_existing_one()
    {
        await Guest.MkdirAsync("/srv/app/data/cache");
        await Guest.MkdirAsync("/srv/app/data");

        var stat = await Guest.LstatAsync("/srv/app/data/cache");

        Assert.Equal(new GuestStat(GuestFileType.Directory, Octal("755"), 0, 0, stat!.Size), stat);
        Assert.Equal(Octal("755"), (await Guest.LstatAsync("/srv/app"))!.Mode);
        var error = await Assert.ThrowsAsync<GuestOperationException>(() => Guest.MkdirAsync("/etc/hostname/sub").AsTask());
        Assert.Equal(("mkdir", "/etc/hostname/sub", "Not a directory"), (error.Operation, error.GuestPath, error.BackendMessage));
    }

    [Fact]
    public async Task Changes_mode_including_setuid_and_sticky_bits()
    {
        await Guest.WriteFileAsync("/srv/tool", Bytes("#!/bin/sh\n"));
        await Guest.MkdirAsync("/srv/shared");

        await Guest.ChmodAsync("/srv/tool", Octal("4750"));
        await Guest.ChmodAsync("/srv/shared", Octal("1777"));

        Assert.Equal(Octal("4750"), (await Guest.LstatAsync("/srv/tool"))!.Mode);
        Assert.Equal(Octal("1777"), (await Guest.LstatAsync("/srv/shared"))!.Mode);
    }

    [Fact]
    public async Task Changes_the_owner_of_a_symlink_itself_not_its_target()
    {
        await Guest.WriteFileAsync("/srv/owned", Bytes("x"));
        await Guest.SymlinkAsync("/srv/owned", "/srv/owned-link");

        await Guest.ChownAsync("/srv/owned-link", 1000, 1000);

        Assert.Equal((1000, 1000), Owner(await Guest.LstatAsync("/srv/owned-link")));
        Assert.Equal((0, 0), Owner(await Guest.LstatAsync("/srv/owned")));
        await Guest.ChownAsync("/srv/owned", 1, 1000);
        Assert.Equal((1, 1000), Owner(await Guest.LstatAsync("/srv/owned")));

        static (int, int) Owner(GuestStat? stat) => (stat!.Uid, stat.Gid);
    }
}
