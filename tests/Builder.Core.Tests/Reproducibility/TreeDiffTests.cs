using Builder.Guests;
using Builder.Reproducibility;
using static Builder.Tests.Reproducibility.TreeDigestTests;

namespace Builder.Tests.Reproducibility;

/// <summary>Two trees compared path by path: added, removed, and each attribute that changed.</summary>
public sealed class TreeDiffTests
{
    private static readonly GuestTreeEntry[] Before =
    [
        Folder("/"), Folder("/etc"), File("/etc/motd", "aa", size: 6), File("/etc/shadow", mode: 0x1A0), File("/old"), Link("/bin", "usr/bin"),
    ];

    [Fact]
    public void Lists_added_removed_and_changed_paths_sorted_with_each_changed_attribute()
    {
        var after = Before.Where(e => e.Path != "/old").Select(e => e.Path switch
        {
            "/etc/motd" => e with { Sha256 = "bb", Size = 12 },
            "/etc/shadow" => e with { Mode = 0x180, Uid = 1000, Gid = 1000 },
            "/bin" => e with { Target = "/usr/bin" },
            _ => e,
        }).Append(File("/added"));

        var diff = TreeDiff.Compare(Before, after);

        Assert.Equal(
            [
                "+ /added",
                "~ /bin: target usr/bin->/usr/bin",
                "~ /etc/motd: content, size 6->12",
                "~ /etc/shadow: mode 0640->0600, owner 0:0->1000:1000",
                "- /old",
            ],
            diff.Entries.Select(e => e.Text));
        Assert.Equal("5 differences: 1 added, 1 removed, 3 changed", diff.Summary);
    }

    [Fact]
    public void A_path_whose_type_changed_says_so_rather_than_comparing_contents()
    {
        var diff = TreeDiff.Compare(Before, Before.Select(e => e.Path == "/old" ? Folder("/old", mode: 0x1A4) : e));

        Assert.Equal("~ /old: type file->directory", Assert.Single(diff.Entries).Text);
    }

    [Fact]
    public void Modification_times_count_only_when_asked()
    {
        var after = Before.Select(e => e.Path == "/etc/motd" ? e with { Modified = 86400 } : e).ToList();

        Assert.True(TreeDiff.Compare(Before, after).Identical);
        Assert.Equal("~ /etc/motd: mtime 1970-01-01T00:00:00Z->1970-01-02T00:00:00Z",
            Assert.Single(TreeDiff.Compare(Before, after, mtimes: true).Entries).Text);
    }

    [Fact]
    public void Extended_attributes_are_compared_by_name_and_value()
    {
        var withCaps = Before.Select(e => e.Path == "/etc/motd"
            ? e with { Xattrs = new Dictionary<string, string> { ["security.capability"] = "x", ["user.a"] = "1" } }
            : e).ToList();
        var changed = withCaps.Select(e => e.Path == "/etc/motd"
            ? e with { Xattrs = new Dictionary<string, string> { ["user.a"] = "2", ["user.b"] = "1" } }
            : e);

        Assert.Equal("~ /etc/motd: xattr security.capability removed, xattr user.a changed, xattr user.b added",
            Assert.Single(TreeDiff.Compare(withCaps, changed).Entries).Text);
    }

    [Fact]
    public void The_same_tree_is_identical()
    {
        var diff = TreeDiff.Compare(Before, Before.Reverse());

        Assert.True(diff.Identical);
        Assert.Equal("identical images", diff.Summary);
    }
}
