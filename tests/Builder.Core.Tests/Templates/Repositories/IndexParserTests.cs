using Builder.Diagnostics;
using Builder.Templates.Repositories;
using Builder.Templates.Repositories.Index;
using Snapshooter.Xunit;

namespace Builder.Tests.Templates.Repositories;

public sealed class IndexParserTests
{
    private const string Sha = "f1c58b53b7d25691ccbd2c3eb97f692985e8a035247dee3ed8e024bbae64574620ace75dbb57207064739f5e4b317c6ad6d6d518d777c719441b06b1634fe07e";

    private static readonly IndexOrigin Origin = new("https://example.org/builder/index.asc", new Uri("https://example.org/builder/index.asc"), "example", Signed: true);

    private static readonly string[] NoAliases = [];

    private static IndexParseResult Parse(string text) => IndexParser.Parse(text, Origin);

    private static string Render(IndexParseResult result, string text) => DiagnosticRenderer.Render(result.Diagnostics, _ => text);

    [Fact]
    public void Reads_every_field_of_an_entry()
    {
        var result = Parse($"""
            [debian-12]
            name=Debian 12 (bookworm)
            osinfo=debian12
            arch=x86_64
            file=debian-12.xz
            checksum[sha512]={Sha.ToUpperInvariant()}
            format=raw
            size=6442450944
            compressed_size=275642276
            expand=/dev/sda1
            lvexpand=/dev/vg/root
            aliases=debian bookworm
            revision=3
            hidden=true
            notes=Debian 12
            """);

        Assert.Empty(result.Diagnostics);
        var entry = Assert.Single(result.Entries);
        Assert.Equal(("debian-12", "x86_64", "Debian 12 (bookworm)", "debian12"), (entry.OsVersion, entry.Arch, entry.Name, entry.OsInfo));
        Assert.Equal(("debian-12.xz", Sha, "raw"), (entry.File, entry.Sha512, entry.Format));
        Assert.Equal((6442450944L, (long?)275642276L), (entry.Size, entry.CompressedSize));
        Assert.Equal(("/dev/sda1", "/dev/vg/root"), (entry.Expand, entry.LvExpand));
        Assert.Equal(["debian", "bookworm"], entry.Aliases);
        Assert.Equal("3", entry.Revision);
        Assert.True(entry.Hidden);
        Assert.Equal("Debian 12", entry.Notes);
        Assert.Equal((Origin.Uri, "example", true), (entry.IndexUri, entry.Repository, entry.Signed));
    }

    [Fact]
    public void Defaults_format_to_raw_and_accepts_a_plain_checksum_field()
    {
        var entry = Assert.Single(Parse($"[a]\narch=x86_64\nfile=a.xz\nsize=1\nchecksum={Sha}\n").Entries);

        Assert.Equal("raw", entry.Format);
        Assert.Equal(Sha, entry.Sha512);
        Assert.Null(entry.Revision);
        Assert.False(entry.Hidden);
        Assert.Empty(entry.Aliases);
    }

    [Fact]
    public void Reads_multi_line_notes_with_a_lone_space_as_an_empty_line()
    {
        var entry = Assert.Single(Parse("[a]\narch=x86_64\nfile=a.xz\nsize=1\nnotes=Title\n \n First line\n     indented\n \n Last\n\n").Entries);

        Assert.Equal("Title\n\nFirst line\n    indented\n\nLast", entry.Notes);
    }

    [Fact]
    public void Reads_notes_the_same_after_gpgv_stripped_the_lone_spaces()
    {
        var signed = Parse("[a]\narch=x86_64\nfile=a.xz\nsize=1\nnotes=Title\n \n Body\n \n").Entries[0];
        var verified = Parse("[a]\narch=x86_64\nfile=a.xz\nsize=1\nnotes=Title\n\n Body\n\n").Entries[0];

        Assert.Equal("Title\n\nBody", signed.Notes);
        Assert.Equal(signed.Notes, verified.Notes);
    }

    [Fact]
    public void Keys_entries_by_os_version_and_arch()
    {
        var result = Parse("[fedora-41]\narch=x86_64\nfile=f.xz\nsize=1\n\n[fedora-41]\narch=aarch64\nfile=f-aarch64.xz\nsize=1\n");

        Assert.Empty(result.Diagnostics);
        Assert.Equal([("fedora-41", "x86_64"), ("fedora-41", "aarch64")], result.Entries.Select(e => (e.OsVersion, e.Arch)));
    }

    [Fact]
    public void Skips_comments_and_carriage_returns_and_ignores_unknown_fields()
    {
        var result = Parse("# a repository\r\n[a]\r\n# the arch\r\narch=x86_64\r\nfile=a.xz\r\nsize=1\r\nfuture_field=whatever\r\nnotes[fr]=Bonjour\r\n");

        Assert.Empty(result.Diagnostics);
        var entry = Assert.Single(result.Entries);
        Assert.Equal(("x86_64", "a.xz"), (entry.Arch, entry.File));
        Assert.Null(entry.Notes);
    }

    [Fact]
    public void Ignores_a_legacy_signature_field_with_a_warning()
    {
        const string text = "[a]\narch=x86_64\nfile=a.xz\nsig=a.xz.sig\nsize=1\n";
        var result = Parse(text);

        Assert.False(result.HasErrors);
        Assert.Single(result.Entries);
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.IndexIgnoredField, Severity.Warning, 4), (warning.Code, warning.Severity, warning.Span.Line));
    }

    [Fact]
    public void Rejects_a_field_repeated_within_a_section()
    {
        const string text = "[a]\narch=x86_64\nfile=a.xz\nsize=1\narch=aarch64\n";
        var result = Parse(text);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.IndexRepeatedField, 5, "[a].arch"), (error.Code, error.Span.Line, error.Path));
        Assert.Empty(result.Entries);
        Render(result, text).MatchSnapshot();
    }

    [Fact]
    public void Rejects_entries_without_arch_or_size()
    {
        const string text = "[no-arch]\nfile=a.xz\nsize=1\n\n[no-size]\narch=x86_64\nfile=b.xz\n";
        var result = Parse(text);

        Assert.Equal([(DiagnosticCodes.IndexMissingField, 1), (DiagnosticCodes.IndexMissingField, 5)], result.Diagnostics.Select(d => (d.Code, d.Span.Line)));
        Assert.Empty(result.Entries);
        Render(result, text).MatchSnapshot();
    }

    [Fact]
    public void Rejects_a_file_that_is_absolute_leaves_the_folder_or_names_another_site()
    {
        const string text = """
            [absolute]
            arch=x86_64
            file=/etc/shadow
            size=1

            [parent]
            arch=x86_64
            file=../x
            size=1

            [encoded-parent]
            arch=x86_64
            file=images/%2e%2e/%2e%2e/x
            size=1

            [elsewhere]
            arch=x86_64
            file=http://evil.example/x.xz
            size=1
            """;
        var result = Parse(text);

        Assert.Equal([3, 8, 13, 18], result.Diagnostics.Select(d => d.Span.Line));
        Assert.All(result.Diagnostics, d => Assert.Equal(DiagnosticCodes.IndexFileNotRelative, d.Code));
        Assert.Empty(result.Entries);
        Render(result, text).MatchSnapshot();
    }

    [Fact]
    public void Reports_every_problem_of_a_corrupt_index_at_once_in_line_order()
    {
        const string text = """
            orphan=1
            [a]
            arch=x86_64
            file=a.xz
            size=big
            checksum[sha512]=abc
            hidden=maybe
            revision=two
            this line is wrong
            [b
             stray continuation

            [a]
            arch=x86_64
            file=a2.xz
            size=1

            [a]
            arch=x86_64
            file=a3.xz
            size=2
            """;
        var result = Parse(text);

        Assert.True(result.HasErrors);
        Render(result, text).MatchSnapshot();
    }

    [Fact]
    public void Parses_the_real_world_sample_index()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Templates", "Repositories", "testdata", "index"));
        var origin = new IndexOrigin("https://builder.libguestfs.org/index.asc", new Uri("https://builder.libguestfs.org/index.asc"), "libguestfs.org", true);

        var result = IndexParser.Parse(text, origin);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(
            [("centosstream-9", "x86_64"), ("debian-12", "x86_64"), ("fedora-41", "x86_64"), ("fedora-41", "aarch64")],
            result.Entries.Select(e => (e.OsVersion, e.Arch)));
        var fedora = result.Entries.Where(e => e.OsVersion == "fedora-41").ToList();
        Assert.Equal(["Fedora® 41 Server", "Fedora® 41 Server (aarch64)"], fedora.Select(e => e.Name));
        Assert.Equal(["fedora-41.xz", "fedora-41-aarch64.xz"], fedora.Select(e => e.File));
        var debian = result.Entries.Single(e => e.OsVersion == "debian-12");
        Assert.Equal(("debian12", "/dev/sda1", (long?)275642276L, 6442450944L), (debian.OsInfo, debian.Expand, debian.CompressedSize, debian.Size));
        Assert.StartsWith("f1c58b53b7d25691", debian.Sha512);
        Assert.Equal(
            "Debian 12 (bookworm)\n\nThis is a minimal Debian install.\n\nThis image is so very minimal that it only includes an ssh server\n" +
            "This image does not contain SSH host keys.  To regenerate them use:\n\n    --firstboot-command \"dpkg-reconfigure openssh-server\"\n\n" +
            "This template was generated by a script in the libguestfs source tree:\n    builder/templates/make-template.ml\n" +
            "Associated files used to prepare this template can be found in the\nsame directory.",
            debian.Notes);
        var centos = result.Entries.Single(e => e.OsVersion == "centosstream-9");
        Assert.Equal(("centosstream9", "/dev/sda4", (long?)576631328L), (centos.OsInfo, centos.Expand, centos.CompressedSize));
        Assert.All(result.Entries, e => Assert.Equal("raw", e.Format));
        Assert.Equal(new Uri("https://builder.libguestfs.org/fedora-41-aarch64.xz"), TemplateFiles.Resolve(fedora[1].IndexUri, fedora[1].File));
    }

    [Fact]
    public void Writes_entries_that_parse_back_the_same()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Templates", "Repositories", "testdata", "index"));
        var original = IndexParser.Parse(text, Origin).Entries
            .Select((e, i) => i == 0 ? e with { Aliases = ["centos9", "stream"], Hidden = true, Revision = "7", LvExpand = "/dev/cs/root" } : e)
            .ToList();

        var written = IndexWriter.Write(original);
        var reread = IndexParser.Parse(written, Origin);

        Assert.Empty(reread.Diagnostics);
        Assert.Equal(original.Count, reread.Entries.Count);
        for (var i = 0; i < original.Count; i++)
        {
            Assert.Equal(original[i] with { Aliases = NoAliases }, reread.Entries[i] with { Aliases = NoAliases });
            Assert.Equal(original[i].Aliases, reread.Entries[i].Aliases);
        }
        Assert.Contains("\nnotes=Debian 12 (bookworm)\n \n This is a minimal Debian install.\n", written);
    }
}
