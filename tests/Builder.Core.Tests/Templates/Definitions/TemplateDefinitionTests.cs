using Builder.Diagnostics;
using Builder.Templates.Definitions;
using Builder.Tests.Support;
using Snapshooter.Xunit;

namespace Builder.Tests.Templates.Definitions;

public sealed class TemplateDefinitionTests
{
    private static readonly string Debian12 = File.ReadAllText(Repository.PathOf("templates/debian-12.yaml"));

    [Fact]
    public void The_shipped_debian_12_definition_loads()
    {
        var (loaded, diagnostics) = TemplateDefinitionLoader.Parse(Debian12, "templates/debian-12.yaml", "debian-12");

        Assert.Empty(diagnostics);
        var definition = loaded!.Definition;
        Assert.Equal(("debian", "12", "apt", "x86_64"), (definition.Os.Distro, definition.Os.Version, definition.Os.PackageManager, definition.Os.Architecture));
        Assert.Equal("bookworm", definition.Bootstrap.Suite);
        Assert.Contains("linux-image-amd64", definition.Bootstrap.Packages!);
        Assert.Equal(2L << 30, definition.Disk.Size.Bytes);
        Assert.Equal(PartitionTable.Mbr, definition.Disk.PartitionTable);
        Assert.Equal(NetworkSetup.Dhcp, definition.Network);
        Assert.StartsWith("sha256:", loaded.Digest);
    }

    [Fact]
    public void The_built_in_copy_is_the_repository_file()
    {
        var definitions = new TemplateDefinitions();
        var (fromRepository, _) = definitions.Find("debian-12", Repository.Root);
        var (builtIn, _) = definitions.Find("debian-12", Path.GetTempPath());

        Assert.Equal("embedded:debian-12", builtIn!.Source);
        Assert.Equal(fromRepository!.Digest, builtIn.Digest);
        Assert.Contains("debian-12", definitions.Names(Path.GetTempPath()));
    }

    [Fact]
    public void A_changed_definition_has_a_new_digest_and_a_reformatted_one_does_not()
    {
        var (original, _) = TemplateDefinitionLoader.Parse(Debian12, "a.yaml", "debian-12");
        var (bigger, _) = TemplateDefinitionLoader.Parse(Debian12.Replace("size: 2G", "size: 4G"), "a.yaml", "debian-12");
        var (reformatted, _) = TemplateDefinitionLoader.Parse("# a comment\n" + Debian12.Replace("size: 2G", "size: \"2048M\""), "a.yaml", "debian-12");

        Assert.NotEqual(original!.Digest, bigger!.Digest);
        Assert.Equal(original.Digest, reformatted!.Digest);
    }

    [Fact]
    public void Rejects_an_invalid_definition_with_located_errors()
    {
        const string yaml = """
            name: debian-13
            description: broken
            os: { distro: debian, version: "13" }
            bootstrap:
              tool: debootstrap
              suite: trixie
            disk: { size: huge, partition-table: msdos }
            network: dhcp
            colour: blue
            """;

        var (loaded, diagnostics) = TemplateDefinitionLoader.Parse(yaml, "templates/debian-13.yaml", "debian-13");

        Assert.Null(loaded);
        Assert.Equal(
            ["B011 .os", "B011 .bootstrap", "B030 .bootstrap.tool", "B030 .disk.size", "B030 .disk.partition-table", "B010 .colour"],
            diagnostics.Select(d => $"{d.Code} {d.Path}"));
        DiagnosticRenderer.Render(diagnostics, _ => yaml).MatchSnapshot();
    }

    [Fact]
    public void The_name_must_match_the_file()
    {
        var (loaded, diagnostics) = TemplateDefinitionLoader.Parse(Debian12, "templates/debian-13.yaml", "debian-13");

        Assert.Null(loaded);
        Assert.Equal("the template is named 'debian-12' in a file for 'debian-13'", Assert.Single(diagnostics).Message);
    }
}
