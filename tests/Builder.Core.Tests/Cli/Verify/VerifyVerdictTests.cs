using System.Globalization;
using System.Text.Json.Nodes;
using Builder.Cli.Commands.Verify;
using Builder.Guests;
using Builder.Reproducibility;
using Builder.Tests.Reproducibility;
using static Builder.Tests.Reproducibility.TreeDigestTests;

namespace Builder.Tests.Cli.Verify;

/// <summary>`builder verify`'s verdict as text and JSON: the first 20 differences, significant ones first, the note and the hint.</summary>
public sealed class VerifyVerdictTests
{
    private const string A = "sha256:aaaa";
    private const string B = "sha256:bbbb";

    private static readonly GuestTreeEntry[] Tree = [Folder("/"), Folder("/etc"), File("/etc/motd"), Link("/bin", "usr/bin")];

    /// <summary>Build 2's tree: <paramref name="count"/> files whose content differs from build 1's.</summary>
    private static DiffResult ChangedFiles(int count)
    {
        var names = Enumerable.Range(1, count).Select(i => $"/f{i.ToString("00", CultureInfo.InvariantCulture)}").ToList();
        return TreeDiff.Compare(names.Select(n => File(n, "aa")), names.Select(n => File(n, "bb")), mtimes: true);
    }

    private static VerifyVerdict Twice(DiffResult? differences, string b = B, bool suggestSeal = true) =>
        new("web", A, b, null, differences, suggestSeal);

    private static string[] Lines(VerifyVerdict verdict) => VerifyOutput.Text(verdict).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Equal_bytes_are_reproducible_in_one_line_with_the_recipe_and_sha256()
    {
        var verdict = Twice(null, b: A);

        Assert.True(verdict.Reproducible);
        Assert.Equal("reproducible: web sha256:aaaa\n", VerifyOutput.Text(verdict));
    }

    [Fact]
    public void Shows_the_first_20_differences_then_how_many_more_and_the_summary()
    {
        var lines = Lines(Twice(ChangedFiles(23)));

        Assert.Equal("not reproducible: web: build 1 sha256:aaaa, build 2 sha256:bbbb", lines[0]);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"~ /f{i:00}: content"), lines[1..21]);
        Assert.Equal("… and 3 more", lines[21]);
        Assert.Equal("23 differences: 0 added, 0 removed, 23 changed", lines[22]);
    }

    [Fact]
    public void Twenty_differences_are_all_shown_with_no_more_line()
    {
        var lines = Lines(Twice(ChangedFiles(20)));

        Assert.Equal("~ /f20: content", lines[20]);
        Assert.Equal("20 differences: 0 added, 0 removed, 20 changed", lines[21]);
        Assert.StartsWith("hint: ", lines[22]);
        Assert.Equal(23, lines.Length);
    }

    [Fact]
    public void Differences_other_than_the_modification_time_come_first_each_group_in_path_order()
    {
        var before = new[] { Folder("/a"), File("/b"), File("/c"), Folder("/d") };
        var after = new[] { Folder("/a", modified: 60), File("/b", "bb", modified: 60), File("/c", mode: 0x180), Folder("/d", modified: 60) };

        var verdict = Twice(TreeDiff.Compare(before, after, mtimes: true));

        Assert.Equal(["/b", "/c", "/a", "/d"], verdict.First.Select(e => e.Subject));
        Assert.Equal("~ /b: content, mtime 1970-01-01T00:00:00Z->1970-01-01T00:01:00Z", verdict.First[0].Text);
    }

    [Fact]
    public void Identical_trees_with_different_bytes_say_the_filesystems_differ_and_hint_at_sealing()
    {
        var lines = Lines(Twice(TreeDiff.Compare(Tree, Tree, mtimes: true)));

        Assert.Equal(3, lines.Length);
        Assert.StartsWith("note: the file trees are identical (type, content, mode, owner, mtime, xattrs): the filesystems differ in layout or metadata", lines[1]);
        Assert.StartsWith("hint: output.reproducible: true in the recipe", lines[2]);
    }

    [Fact]
    public void A_recipe_that_already_seals_gets_no_hint()
    {
        var text = VerifyOutput.Text(Twice(ChangedFiles(1), suggestSeal: false));

        Assert.DoesNotContain("hint:", text);
        Assert.Contains("~ /f01: content", text);
    }

    [Fact]
    public void Trees_that_could_not_be_read_leave_the_verdict_with_a_note()
    {
        var lines = Lines(Twice(null));

        Assert.Equal("not reproducible: web: build 1 sha256:aaaa, build 2 sha256:bbbb", lines[0]);
        Assert.Equal("note: the file trees could not be compared (see the errors above)", lines[1]);
    }

    [Fact]
    public void Against_an_earlier_manifest_names_it_and_this_build_and_lists_the_differing_fields()
    {
        var now = ManifestDiffTests.Manifest("sha256:t2");
        now["output-sha256"] = B;
        var earlier = ManifestDiffTests.Manifest();
        earlier["output-sha256"] = A;

        var lines = Lines(new VerifyVerdict("web", A, B, "old/web.qcow2.manifest.json", ManifestDiff.Compare(earlier, now), true));

        Assert.Equal("not reproducible: web: old/web.qcow2.manifest.json sha256:aaaa, this build sha256:bbbb", lines[0]);
        Assert.Equal("~ tree-digest: sha256:t1->sha256:t2", lines[1]);
        Assert.Equal("~ output-sha256: sha256:aaaa->sha256:bbbb", lines[2]);
        Assert.Equal("2 differences: 0 added, 0 removed, 2 changed", lines[3]);
        Assert.DoesNotContain(lines, l => l.StartsWith("note:", StringComparison.Ordinal));
    }

    [Fact]
    public void Manifests_that_differ_only_in_the_output_sha256_say_so()
    {
        var now = ManifestDiffTests.Manifest();
        now["output-sha256"] = B;

        var verdict = new VerifyVerdict("web", "sha256:o1", B, "web.qcow2.manifest.json", ManifestDiff.Compare(ManifestDiffTests.Manifest(), now), true);

        Assert.StartsWith("the manifests differ only in the output's sha256", verdict.Note);
    }

    [Fact]
    public void Json_holds_both_sha256s_and_every_difference_not_only_the_first_20()
    {
        var json = JsonNode.Parse(VerifyOutput.Json(Twice(ChangedFiles(23))))!;

        Assert.Equal("web", (string)json["recipe"]!);
        Assert.False((bool)json["reproducible"]!);
        Assert.Null(json["against"]);
        Assert.Equal("build 1", (string)json["a"]!["name"]!);
        Assert.Equal(A, (string)json["a"]!["output-sha256"]!);
        Assert.Equal(B, (string)json["b"]!["output-sha256"]!);
        Assert.Equal("images", (string)json["diff"]!["compared"]!);
        Assert.Equal(23, json["diff"]!["differences"]!.AsArray().Count);
        Assert.Equal(23, (int)json["diff"]!["summary"]!["changed"]!);
        Assert.StartsWith("output.reproducible: true", (string)json["hint"]!);
    }

    [Fact]
    public void Json_of_a_reproducible_build_has_no_diff_note_or_hint()
    {
        var json = JsonNode.Parse(VerifyOutput.Json(Twice(null, b: A)))!;

        Assert.True((bool)json["reproducible"]!);
        Assert.Null(json["diff"]);
        Assert.Null(json["note"]);
        Assert.Null(json["hint"]);
    }
}
