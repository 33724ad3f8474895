using Builder.Guests;
using Builder.Reproducibility;

namespace Builder.Tests.Reproducibility;

/// <summary>The tree digest: one sha256 over every entry's path, type, mode, owner, size and content, target or device.</summary>
public sealed class TreeDigestTests
{
    internal static GuestTreeEntry File(string path, string sha256 = "aa", int mode = 0x1A4, long size = 3, int uid = 0, long modified = 0) =>
        new(path, GuestTreeEntryType.File, mode, uid, uid, size, sha256, null, null, modified, GuestTreeEntry.NoXattrs);

    internal static GuestTreeEntry Folder(string path, int mode = 0x1ED, long modified = 0) =>
        new(path, GuestTreeEntryType.Directory, mode, 0, 0, 0, null, null, null, modified, GuestTreeEntry.NoXattrs);

    internal static GuestTreeEntry Link(string path, string target) =>
        new(path, GuestTreeEntryType.Symlink, 0x1FF, 0, 0, 0, null, target, null, 0, GuestTreeEntry.NoXattrs);

    private static readonly GuestTreeEntry[] Tree = [Folder("/"), Folder("/etc"), File("/etc/motd"), Link("/bin", "usr/bin")];

    [Fact]
    public void A_record_is_seven_nul_terminated_fields()
    {
        Assert.Equal("/etc/motd\0file\00644\00\00\03\0aa\0", TreeDigest.Record(File("/etc/motd")));
        Assert.Equal("/bin\0symlink\00777\00\00\00\0usr/bin\0", TreeDigest.Record(Link("/bin", "usr/bin")));
        Assert.Equal("/dev/null\0char-device\00666\00\00\00\01:3\0", TreeDigest.Record(
            new GuestTreeEntry("/dev/null", GuestTreeEntryType.CharDevice, 0x1B6, 0, 0, 0, null, null, "1:3", 0, GuestTreeEntry.NoXattrs)));
    }

    [Fact]
    public void The_digest_does_not_depend_on_the_order_entries_come_in()
    {
        Assert.Equal(TreeDigest.Of(Tree), TreeDigest.Of(Tree.Reverse()));
        Assert.StartsWith("sha256:", TreeDigest.Of(Tree));
    }

    [Fact]
    public void Content_mode_owner_and_link_targets_each_change_the_digest()
    {
        var digest = TreeDigest.Of(Tree);

        Assert.NotEqual(digest, TreeDigest.Of(Tree.Select(e => e.Path == "/etc/motd" ? e with { Sha256 = "bb" } : e)));
        Assert.NotEqual(digest, TreeDigest.Of(Tree.Select(e => e.Path == "/etc/motd" ? e with { Mode = 0x180 } : e)));
        Assert.NotEqual(digest, TreeDigest.Of(Tree.Select(e => e.Path == "/etc" ? e with { Uid = 1000 } : e)));
        Assert.NotEqual(digest, TreeDigest.Of(Tree.Select(e => e.Path == "/bin" ? e with { Target = "/usr/bin" } : e)));
        Assert.NotEqual(digest, TreeDigest.Of([.. Tree, File("/etc/new")]));
    }

    [Fact]
    public void Modification_times_and_xattrs_do_not_change_the_digest()
    {
        var changed = Tree.Select(e => e with { Modified = 1_700_000_000, Xattrs = new Dictionary<string, string> { ["user.x"] = "1" } });

        Assert.Equal(TreeDigest.Of(Tree), TreeDigest.Of(changed));
    }
}
