using System.Text.Json.Nodes;
using Builder.Reproducibility;
using Builder.Tests.Support;

namespace Builder.Tests.Reproducibility;

/// <summary>What the finish reads from the guest for the manifest, and the record a cached finish keeps of it.</summary>
public sealed class ImageContentsTests
{
    [Fact]
    public async Task Reads_the_package_list_and_the_tree_digest_through_the_guest()
    {
        var guest = new RecordingGuest()
            .WithFile("/var/lib/dpkg/status", "Package: base-files\nStatus: install ok installed\nArchitecture: amd64\nVersion: 12.4\n")
            .WithFile("/etc/motd", "hello\n");

        var contents = await ImageContents.ReadAsync(guest, withTreeDigest: true, CancellationToken.None);

        Assert.Equal([new InstalledPackage("base-files", "12.4", "amd64")], contents.Packages.Packages);
        Assert.Equal(TreeDigest.Of(await guest.TreeAsync()), contents.TreeDigest);
        Assert.Contains("tree", guest.Transcript);
    }

    [Fact]
    public async Task Without_output_tree_digest_only_the_package_list_is_read()
    {
        var guest = new RecordingGuest()
            .WithFile("/var/lib/dpkg/status", "Package: base-files\nStatus: install ok installed\nArchitecture: amd64\nVersion: 12.4\n");

        var contents = await ImageContents.ReadAsync(guest, withTreeDigest: false, CancellationToken.None);

        Assert.Equal([new InstalledPackage("base-files", "12.4", "amd64")], contents.Packages.Packages);
        Assert.Null(contents.TreeDigest);
        Assert.DoesNotContain("tree", guest.Transcript);
        var json = new JsonObject();
        contents.AddTo(json);
        Assert.Null(ImageContents.From(json)!.TreeDigest);
    }

    [Fact]
    public void The_record_kept_with_a_cached_finish_reads_back_as_it_was_written()
    {
        var contents = new ImageContents(PackageList.Of("apk", [new InstalledPackage("musl", "1.2.4-r2", "x86_64")]), "sha256:ab");
        var json = new JsonObject();
        contents.AddTo(json);

        var read = ImageContents.From((JsonObject)JsonNode.Parse(json.ToJsonString())!);

        Assert.Equal(contents.TreeDigest, read!.TreeDigest);
        Assert.Equal(contents.Packages.From, read.Packages.From);
        Assert.Equal(contents.Packages.Packages, read.Packages.Packages);
    }

    [Fact]
    public void A_list_that_was_left_out_keeps_its_reason()
    {
        var json = new JsonObject();
        new ImageContents(PackageList.None("no package database"), "sha256:ab").AddTo(json);

        Assert.Equal("""{"packages-omitted":"no package database","tree-digest":"sha256:ab"}""", json.ToJsonString());
        Assert.Equal("no package database", ImageContents.From(json)!.Packages.Omitted);
    }
}
