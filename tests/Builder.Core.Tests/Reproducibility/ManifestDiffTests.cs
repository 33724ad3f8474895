using System.Text.Json.Nodes;
using Builder.Reproducibility;

namespace Builder.Tests.Reproducibility;

/// <summary>Two manifests compared field by field, step by step and package by package.</summary>
public sealed class ManifestDiffTests
{
    internal static JsonObject Manifest(string treeDigest = "sha256:t1", string? packages = null, string steps = """[{ "id": "aaaaaaaaaaaaaaaa", "kind": "write" }]""") =>
        (JsonObject)JsonNode.Parse($$"""
            {
              "recipe": "web",
              "template": { "path": "debian-12", "digest": "sha256:d1" },
              "size": null,
              "format": "qcow2",
              "backend": "host",
              "id": "f1",
              "steps": {{steps}},
              "source-date-epoch": 1700000000,
              "source-date-from": "git",
              "packages-from": "dpkg",
              "packages": {{packages ?? """[{ "name": "base-files", "version": "12.4", "arch": "amd64" }, { "name": "curl", "version": "7.88.1-10", "arch": "amd64" }]"""}},
              "tree-digest": "{{treeDigest}}",
              "output-sha256": "sha256:o1"
            }
            """)!;

    [Fact]
    public void Equal_manifests_are_identical()
    {
        var diff = ManifestDiff.Compare(Manifest(), Manifest());

        Assert.True(diff.Identical);
        Assert.Equal("identical manifests", diff.Summary);
    }

    [Fact]
    public void Lists_changed_fields_steps_and_added_removed_and_upgraded_packages()
    {
        var b = Manifest("sha256:t2",
            """[{ "name": "base-files", "version": "12.5", "arch": "amd64" }, { "name": "nginx", "version": "1.22.1-9", "arch": "amd64" }]""",
            """[{ "id": "aaaaaaaaaaaaaaaa", "kind": "write" }, { "id": "bbbbbbbbbbbbbbbb", "kind": "install" }]""");
        b["template"]!["digest"] = "sha256:d2";
        b["source-date-epoch"] = null;
        b.Remove("source-date-from");

        var diff = ManifestDiff.Compare(Manifest(), b);

        Assert.Equal(
            [
                "~ template.digest: sha256:d1->sha256:d2",
                "~ source-date-epoch: 1700000000->none",
                "~ source-date-from: git->none",
                "~ tree-digest: sha256:t1->sha256:t2",
                "+ step 2 install bbbbbbbbbbbb",
                "~ package base-files (amd64): 12.4->12.5",
                "- package curl (amd64) 7.88.1-10",
                "+ package nginx (amd64) 1.22.1-9",
            ],
            diff.Entries.Select(e => e.Text));
    }

    [Fact]
    public void Packages_are_not_compared_when_one_side_has_no_list()
    {
        var b = Manifest();
        b.Remove("packages");
        b.Remove("packages-from");
        b["packages-omitted"] = "no package database";

        var diff = ManifestDiff.Compare(Manifest(), b);

        Assert.Equal(["~ packages-from: dpkg->none", "~ packages-omitted: none->no package database"], diff.Entries.Select(e => e.Text));
    }

    [Fact]
    public void Only_json_with_a_template_digest_an_id_and_steps_is_a_manifest()
    {
        Assert.True(ManifestDiff.IsManifest(Manifest()));
        Assert.False(ManifestDiff.IsManifest(JsonNode.Parse("""{ "recipe": "web" }""")));
        Assert.False(ManifestDiff.IsManifest(JsonNode.Parse("[1, 2]")));
    }
}
