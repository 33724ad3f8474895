using Builder.Templates.Repositories;
using Builder.Templates.Repositories.Index;
using Builder.Templates.Repositories.Sources;
using Builder.Templates.Store;

namespace Builder.Tests.Templates.Repositories;

/// <summary>The small pieces around the parser: metadata from osinfo=, clearsigned text, URIs, file names.</summary>
public sealed class RepositoryHelpersTests
{
    private static IndexEntry Entry(string? osinfo, string? expand = "/dev/sda1", string arch = "x86_64") =>
        new("x", arch, "X Linux", osinfo, "x.xz", null, "raw", 1, null, expand, null, false, [], null,
            new Uri("https://example.org/index"), "example", true);

    [Theory]
    [InlineData("debian12", "linux", "debian", "12", "apt")]
    [InlineData("ubuntu24.04", "linux", "ubuntu", "24.04", "apt")]
    [InlineData("fedora41", "linux", "fedora", "41", "dnf")]
    [InlineData("centosstream9", "linux", "centos", "9", "dnf")]
    [InlineData("centos7.0", "linux", "centos", "7.0", "yum")]
    [InlineData("rhel9.4", "linux", "rhel", "9.4", "dnf")]
    [InlineData("opensuse15.5", "linux", "opensuse", "15.5", "zypper")]
    [InlineData("opensusetumbleweed", "linux", "opensuse", "unknown", "zypper")]
    [InlineData("alpinelinux3.19", "linux", "alpinelinux", "3.19", "apk")]
    [InlineData("archlinux", "linux", "archlinux", "unknown", "pacman")]
    [InlineData("win2k22", "windows", "windows", "2k22", "unknown")]
    [InlineData("freebsd14.0", "freebsd", "freebsd", "14.0", "unknown")]
    [InlineData(null, "unknown", "unknown", "unknown", "unknown")]
    public void Derives_distribution_version_and_package_manager_from_osinfo(string? osinfo, string osType, string distro, string version, string packageManager)
    {
        var metadata = OsInfoMetadata.From(Entry(osinfo));

        Assert.Equal((osType, distro, version, packageManager), (metadata.OsType, metadata.Distro, metadata.Version, metadata.PackageManager));
        Assert.Equal(("x86_64", "/dev/sda1", "X Linux"), (metadata.Architecture, metadata.RootDevice, metadata.Description));
    }

    [Theory]
    [InlineData("debian12")]
    [InlineData("ubuntu24.04")]
    [InlineData("centosstream9")]
    [InlineData("fedora41")]
    [InlineData("opensusetumbleweed")]
    public void Gives_back_the_osinfo_id_it_read(string osinfo)
    {
        Assert.Equal(osinfo, OsInfoMetadata.OsInfoOf(OsInfoMetadata.From(Entry(osinfo))));
    }

    [Fact]
    public void Leaves_the_root_device_unknown_without_expand()
    {
        Assert.Equal("unknown", OsInfoMetadata.From(Entry("debian12", expand: null)).RootDevice);
        Assert.Null(OsInfoMetadata.OsInfoOf(new TemplateMetadata("unknown", "unknown", "unknown", "x86_64", "unknown", "unknown", "x")));
    }

    [Fact]
    public void Keeps_expand_and_lvexpand_as_what_grows_with_the_disk()
    {
        var metadata = OsInfoMetadata.From(Entry("fedora41", expand: "/dev/sda3") with { LvExpand = "/dev/fedora/root" });
        var plain = OsInfoMetadata.From(Entry("debian12", expand: null));

        Assert.Equal(("/dev/sda3", "/dev/fedora/root"), (metadata.Expand, metadata.LvExpand));
        Assert.Equal(((string?)null, (string?)null), (plain.Expand, plain.LvExpand));
    }

    [Fact]
    public void Extracts_clearsigned_text_without_its_armor_undoing_dash_escapes()
    {
        const string signed = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n[a]\nnotes=x\n \n- -dash\n-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----\n";

        Assert.True(ClearSigned.IsClearSigned(System.Text.Encoding.UTF8.GetBytes("\n" + signed)));
        Assert.False(ClearSigned.IsClearSigned("[a]\n"u8));
        Assert.Equal("[a]\nnotes=x\n\n-dash\n", ClearSigned.ExtractUnverified(signed));
    }

    [Fact]
    public void Shows_uris_without_their_credentials()
    {
        Assert.Equal("https://example.org/builder/index.asc", Uris.Display(new Uri("https://alice:s3cret@example.org/builder/index.asc")));
        Assert.Equal("file:///srv/index", Uris.Display(new Uri("file:///srv/index")));
        Assert.Equal(("alice", "s3 cret"), Uris.Credentials(new Uri("https://alice:s3%20cret@example.org/")));
    }

    [Theory]
    [InlineData("debian-12.xz", Compression.Xz)]
    [InlineData("images/debian-12.qcow2.gz", Compression.Gzip)]
    [InlineData("debian-12.img", Compression.None)]
    public void Tells_the_compression_from_the_file_name(string file, Compression compression)
    {
        Assert.Null(TemplateFiles.Problem(file));
        Assert.Equal(compression, TemplateFiles.CompressionOf(file));
    }

    [Fact]
    public void Keys_a_stored_template_by_checksum_or_else_by_uri_and_revision()
    {
        var withChecksum = Entry("debian12") with { Sha512 = new string('a', 128) };
        var without = Entry("debian12") with { Revision = "4" };

        Assert.Equal("index:" + new string('a', 128), TemplateRepositories.SourceKeyOf(withChecksum));
        Assert.Equal("index:https://example.org/x.xz#revision=4", TemplateRepositories.SourceKeyOf(without));
    }
}
