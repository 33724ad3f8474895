using Builder.Cli;
using Builder.IntegrationTests.Guestfs;
using Builder.IntegrationTests.Pipeline;
using Builder.Templates.Repositories.Index;

namespace Builder.IntegrationTests.Repositories;

/// <summary>`builder templates pull` and `builder templates publish` as users and CI run them.</summary>
[Collection(RepositoryCollection.Name)]
public sealed class RepositoryCliTests(RepositoryFixture fixture) : IDisposable
{
    private readonly RepositoryWorkspace workspace = new(fixture);

    public void Dispose() => workspace.Dispose();

    private Task<(int Code, string Output, string Error)> Builder(params string[] arguments) =>
        BuilderProcess.RunAsync(workspace.Path, workspace.Environment, arguments);

    /// <summary>The command line in this process, with this workspace's services.</summary>
    private async Task<(int Code, string Output, string Error)> BuilderInProcess(params string[] arguments)
    {
        await using var services = workspace.Services();
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = await BuilderCommandLine.RunAsync(arguments, _ => services, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Two_concurrent_pull_processes_store_one_template_and_download_it_once()
    {
        await using var server = new LoopbackHttpServer(workspace.Served);
        workspace.ServeTemplate(signed: false);
        server.Delay(RepositoryWorkspace.File, TimeSpan.FromSeconds(4));
        string[] pull = ["templates", "pull", "tiny", "--store", workspace.Store, "--source", server.UriOf("index").AbsoluteUri, "--no-check-signature"];

        using var first = BuilderProcess.Start(workspace.Path, workspace.Environment, pull);
        using var second = BuilderProcess.Start(workspace.Path, workspace.Environment, pull);
        var codes = await Task.WhenAll(first.WaitAsync(TimeSpan.FromMinutes(3)), second.WaitAsync(TimeSpan.FromMinutes(3)));

        Assert.True(codes.All(c => c == 0), $"exit codes {string.Join(", ", codes)}:\n{first.Error}\n{second.Error}");
        Assert.Equal(1, server.Requests(RepositoryWorkspace.File));
        var (refs, templates, scratch) = workspace.StoreContents();
        Assert.Equal(["tiny.json"], refs);
        Assert.Equal([fixture.TemplateSha256], templates);
        Assert.Empty(scratch);
        Assert.All([first.Output, second.Output], output => Assert.Contains("Pulled tiny (", output));
        Assert.Single([first.Output, second.Output], output => output.Contains("Downloading tiny", StringComparison.Ordinal));
        // They overlapped: one waited for the other's lock, then found the template stored.
        Assert.Single([first.Output, second.Output], output =>
            output.Contains("waiting for another builder process working on template tiny", StringComparison.Ordinal)
            && output.Contains("already in the store", StringComparison.Ordinal));
        Assert.All([first.Output, second.Output], output => Assert.Contains("note: signatures are not checked", output));
    }

    [Fact]
    public async Task Publishes_the_store_as_a_signed_repository_that_parses_verifies_and_can_be_pulled_from()
    {
        await using var origin = new LoopbackHttpServer(workspace.Served);
        workspace.ServeTemplate(signed: true);
        workspace.Configure("origin", origin.UriOf("index.asc"), fixture.ArmoredKeyFile);
        var pulled = await Builder("templates", "pull", "tiny-debian", "--store", workspace.Store);
        Assert.True(pulled.Code == 0, pulled.Error);

        var published = Path.Combine(workspace.Path, "published");
        var publish = await Builder("templates", "publish", published, "--sign", RepositoryFixture.KeyUser, "--store", workspace.Store);
        var again = await Builder("templates", "publish", published, "--sign", RepositoryFixture.KeyUser, "--store", workspace.Store);

        Assert.True(publish.Code == 0, publish.Error);
        Assert.True(again.Code == 0, again.Error);
        Assert.Equal(["index", "index.asc", "tiny.qcow2.xz"], Directory.EnumerateFiles(published).Select(Path.GetFileName).Order());
        var index = new Uri(Path.Combine(published, "index"));
        var parsed = IndexParser.Parse(await File.ReadAllTextAsync(index.LocalPath), new IndexOrigin(index.AbsoluteUri, index, "published", false));
        Assert.Empty(parsed.Diagnostics);
        var entry = Assert.Single(parsed.Entries);
        var file = Path.Combine(published, "tiny.qcow2.xz");
        Assert.Equal(
            ("tiny", RepositoryWorkspace.HostArch, "Tiny test template", "debian12", "tiny.qcow2.xz", "qcow2", fixture.VirtualSize, "/dev/sda1", "1"),
            (entry.OsVersion, entry.Arch, entry.Name, entry.OsInfo, entry.File, entry.Format, entry.Size, entry.Expand, entry.Revision));
        Assert.Equal((RepositoryFixture.Sha512(file), (long?)new FileInfo(file).Length), (entry.Sha512, entry.CompressedSize));
        fixture.Gpgv("--keyring", fixture.KeyringFile, Path.Combine(published, "index.asc"));

        // Another machine: the published folder served over HTTP, configured with the key, a new store.
        await using var mirror = new LoopbackHttpServer(published);
        File.Delete(Path.Combine(workspace.ReposD, "origin.conf"));
        workspace.Configure("team", mirror.UriOf("index.asc"), fixture.KeyringFile);
        var otherStore = Path.Combine(workspace.Path, "other-store");
        var pulledAgain = await Builder("templates", "pull", "tiny", "--store", otherStore);

        Assert.True(pulledAgain.Code == 0, pulledAgain.Error);
        Assert.Equal(1, mirror.Requests("tiny.qcow2.xz"));
        Assert.Equal([fixture.TemplateSha256], Directory.EnumerateDirectories(Path.Combine(otherStore, "templates")).Select(Path.GetFileName));
        Assert.Contains($"sha256:{fixture.TemplateSha256}", pulledAgain.Output);
    }

    [Fact]
    public async Task Pull_exits_2_and_suggests_a_close_name_for_an_unknown_template()
    {
        await using var server = new LoopbackHttpServer(workspace.Served);
        workspace.ServeTemplate(signed: true);
        workspace.Configure("test", server.UriOf("index.asc"), fixture.ArmoredKeyFile);

        var (code, _, error) = await BuilderInProcess("templates", "pull", "tinny");

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("error: no repository offers a template named tinny", error);
        Assert.Contains("hint: did you mean 'tiny'?", error);
        Assert.Equal(0, server.Requests(RepositoryWorkspace.File));
    }

    [Fact]
    public async Task Pull_exits_1_with_one_paragraph_for_an_unsigned_index()
    {
        await using var server = new LoopbackHttpServer(workspace.Served);
        workspace.ServeTemplate(signed: false);

        var (code, _, error) = await BuilderInProcess("templates", "pull", "tiny", "--source", server.UriOf("index").AbsoluteUri);

        Assert.Equal(ExitCodes.BuildFailed, code);
        Assert.Equal(
            $"error: the index {server.UriOf("index").AbsoluteUri} is not signed, so it cannot be trusted\n" +
            "  hint: publish a clearsigned index.asc and set gpgkey= for it in repos.d, or pass --no-check-signature to accept it (insecure)\n",
            error);
    }

    [Fact]
    public async Task Pull_exits_1_and_shows_the_located_errors_of_a_broken_index()
    {
        await using var server = new LoopbackHttpServer(workspace.Served);
        await File.WriteAllTextAsync(Path.Combine(workspace.Served, "index"), "[tiny]\nfile=../../etc/shadow\nsize=1\n");

        var (code, _, error) = await BuilderInProcess("templates", "pull", "tiny", "--source", server.UriOf("index").AbsoluteUri, "--no-check-signature");

        Assert.Equal(ExitCodes.BuildFailed, code);
        Assert.Contains($"error: the index {server.UriOf("index").AbsoluteUri} is not valid", error);
        Assert.Contains($"{server.UriOf("index").AbsoluteUri}:1:1: error B062: [tiny] has no 'arch' field", error);
        Assert.Contains($"{server.UriOf("index").AbsoluteUri}:2:6: error B064: file=../../etc/shadow leaves the index's folder", error);
    }
}
