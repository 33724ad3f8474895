using Builder.Diagnostics;
using Builder.Templates.Repositories;
using Builder.Templates.Repositories.Sources;
using Snapshooter.Xunit;

namespace Builder.Tests.Templates.Repositories;

public sealed class RepositoryConfigTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("builder-repos-d-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Folder(string name, params (string File, string Text)[] files)
    {
        var folder = Path.Combine(root, name);
        Directory.CreateDirectory(folder);
        foreach (var (file, text) in files) File.WriteAllText(Path.Combine(folder, file), text);
        return folder;
    }

    [Fact]
    public void Reads_repositories_with_their_uri_key_and_proxy()
    {
        var result = RepositoryConfig.Parse("""
            # the public repository
            [libguestfs.org]
            uri=https://builder.libguestfs.org/index.asc
            gpgkey=file:///etc/builder/repos.d/libguestfs.gpg
            format=native

            [team]
            uri=http://mirror.example/builder/index
            proxy=no
            """, "/etc/builder/repos.d/libguestfs.conf");

        Assert.Empty(result.Diagnostics);
        Assert.Equal(
            [
                new RepositoryDefinition("libguestfs.org", new Uri("https://builder.libguestfs.org/index.asc"), "/etc/builder/repos.d/libguestfs.gpg", null, "/etc/builder/repos.d/libguestfs.conf"),
                new RepositoryDefinition("team", new Uri("http://mirror.example/builder/index"), null, "no", "/etc/builder/repos.d/libguestfs.conf"),
            ],
            result.Repositories);
    }

    [Fact]
    public void Reports_every_problem_of_a_repos_d_file_at_once()
    {
        const string text = """
            [no-uri]
            gpgkey=file:///k.gpg

            [bad]
            uri=ftp://example.org/index
            gpgkey=https://example.org/key.asc
            proxy=maybe
            format=simplestreams

            [relative-key]
            uri=https://example.org/index.asc
            gpgkey=keys/example.gpg

            [twice]
            uri=https://example.org/index.asc
            uri=https://example.org/other.asc
            """;
        var result = RepositoryConfig.Parse(text, "bad.conf");

        Assert.Empty(result.Repositories);
        Assert.All(result.Diagnostics, d => Assert.True(d.IsError));
        DiagnosticRenderer.Render(result.Diagnostics, _ => text).MatchSnapshot();
    }

    [Fact]
    public void Reads_conf_files_folder_by_folder_and_lets_a_later_folder_redefine_a_repository()
    {
        var system = Folder("etc", ("b.conf", "[b]\nuri=https://b.example/index.asc\n"), ("a.conf", "[a]\nuri=https://a.example/index.asc\n"), ("ignored.txt", "[x]\nuri=https://x.example/index\n"));
        var user = Folder("user", ("a.conf", "[a]\nuri=https://mirror.example/a/index.asc\n"));
        var folders = new RepositoryConfigFolders([system, user, Path.Combine(root, "missing")]);

        var result = RepositoryConfig.Load(folders);

        Assert.Empty(result.Diagnostics);
        Assert.Equal([("a", "https://mirror.example/a/index.asc"), ("b", "https://b.example/index.asc")],
            result.Repositories.Select(r => (r.Id, r.Uri.AbsoluteUri)));
    }

    [Fact]
    public void Takes_the_folders_from_the_environment_with_builder_repos_d_last()
    {
        var folders = RepositoryConfigFolders.FromEnvironment();

        Assert.Equal(RepositoryConfigFolders.SystemFolder, folders.Folders[0]);
        Assert.EndsWith(Path.Combine("builder", "repos.d"), folders.Folders[1]);
        var extra = Environment.GetEnvironmentVariable(RepositoryConfigFolders.FolderVariable);
        Assert.Equal(string.IsNullOrEmpty(extra) ? 2 : 3, folders.Folders.Count);
    }

    [Fact]
    public void Adds_source_uris_after_the_configured_repositories_without_a_key()
    {
        var folder = Folder("d", ("a.conf", "[a]\nuri=https://a.example/index.asc\ngpgkey=file:///keys/a.gpg\n"));
        var options = new RepositoryOptions(["https://user:secret@b.example/index", "/srv/repo/index", "https://a.example/index.asc"]);

        var sources = RepositorySources.Resolve(new RepositoryConfigFolders([folder]), options);

        Assert.Equal(
            [("a", "/keys/a.gpg"), ("https://b.example/index", null), ("file:///srv/repo/index", null)],
            sources.Select(s => (s.Id, s.GpgKey)));
        Assert.DoesNotContain("secret", sources[1].Display);
    }

    [Fact]
    public void Refuses_a_source_that_is_not_a_file_or_http_uri_as_invalid_input()
    {
        var error = Assert.Throws<RepositoryException>(() =>
            RepositorySources.Resolve(new RepositoryConfigFolders([]), new RepositoryOptions(["ftp://example.org/index"])));

        Assert.True(error.InvalidInput);
        Assert.Contains("ftp://example.org/index", error.Message);
    }

    [Fact]
    public void Refuses_a_broken_repos_d_file_with_its_located_diagnostics()
    {
        var folder = Folder("d", ("broken.conf", "[x]\ngpgkey=file:///k\n"));

        var error = Assert.Throws<RepositoryException>(() =>
            RepositorySources.Resolve(new RepositoryConfigFolders([folder]), RepositoryOptions.Default));

        Assert.True(error.InvalidInput);
        Assert.Contains("broken.conf:1:1: error B067: [x] has no uri=", error.RenderDiagnostics());
    }
}
