using Builder.Execution;
using Builder.Resilience;
using Builder.Templates.Repositories.Downloads;
using Polly;
using Polly.Registry;
using Polly.Retry;
using Builder.IntegrationTests.Guestfs;
using Builder.Templates.Repositories;
using Builder.Templates.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.IntegrationTests.Repositories;

/// <summary>
/// Pulling from virt-builder repositories end to end, in-process: a loopback HTTP server, real
/// gpg/gpgv, xz and qemu-img, and a private store per test.
/// </summary>
[Collection(RepositoryCollection.Name)]
public sealed class RepositoryPullTests(RepositoryFixture fixture) : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    private readonly RepositoryWorkspace workspace = new(fixture);
    private readonly RecordingEvents events = new();
    private readonly CancellationTokenSource timeout = new(Limit);

    public void Dispose()
    {
        timeout.Dispose();
        workspace.Dispose();
    }

    private async Task<(ITemplateRepositories Repositories, ITemplateStore Store, IndexEntry Entry)> ListAsync(
        ServiceProvider services, RepositoryOptions options)
    {
        var repositories = services.GetRequiredService<ITemplateRepositories>();
        var entry = Assert.Single(await repositories.ListAsync(options, events, timeout.Token));
        return (repositories, services.GetRequiredService<ITemplateStore>(), entry);
    }

    private void AssertStoreEmpty()
    {
        var (refs, templates, scratch) = workspace.StoreContents();
        Assert.Empty(refs);
        Assert.Empty(templates);
        Assert.Empty(scratch);
    }

    [Fact]
    public async Task Pulls_a_template_from_a_signed_repository_into_the_store_read_only()
    {
        await using var server = new LoopbackHttpServer(workspace.Served);
        workspace.ServeTemplate(signed: true);
        workspace.Configure("test", server.UriOf("index.asc"), fixture.ArmoredKeyFile);
        await using var services = workspace.Services();

        var (repositories, store, entry) = await ListAsync(services, RepositoryOptions.Default);
        var stored = await repositories.PullAsync(entry, RepositoryOptions.Default, events, timeout.Token);

        Assert.True(entry.Signed);
        Assert.Equal(("tiny", "test", "A tiny template\n\nIt does not boot."), (entry.OsVersion, entry.Repository, entry.Notes));
        Assert.Equal("sha256:" + fixture.TemplateSha256, stored.Digest);
        Assert.Equal(fixture.TemplateSha256, Tools.Sha256(stored.ImagePath));
        Assert.Equal(("qcow2", fixture.VirtualSize), (stored.Format, stored.VirtualSize));
        // The index says expand=/dev/sda1: a size given to a recipe on this template grows that partition.
        Assert.Equal(new TemplateMetadata("linux", "debian", "12", RepositoryWorkspace.HostArch, "/dev/sda1", "apt", "Tiny test template", Expand: "/dev/sda1"),
            stored.Metadata);
        Assert.Equal("index:" + fixture.CompressedSha512, stored.SourceKey);
        Assert.Equal(server.UriOf("index.asc").AbsoluteUri + "#tiny", stored.Source);
        Assert.Equal(stored, store.Find("tiny"));
        Assert.Equal(0, (int)(File.GetUnixFileMode(stored.ImagePath) & (UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)));
        Assert.Empty(workspace.StoreContents().Scratch);
        Assert.Equal(["download", "verify", "decompress", "publish"], events.OfType<PhaseStarted>().Select(p => p.Phase));
        Assert.Contains(events.OfType<DownloadProgress>(), p => p.Bytes == new FileInfo(fixture.CompressedTemplate).Length);
        Assert.DoesNotContain(events.OfType<Notice>(), n => n.Message.Contains("not checked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refuses_a_tampered_template_naming_the_checksum_and_stores_nothing()
    {
        await using var server = new LoopbackHttpServer(workspace.Served);
        workspace.ServeTemplate(signed: true);
        var served = Path.Combine(workspace.Served, RepositoryWorkspace.File);
        var bytes = await File.ReadAllBytesAsync(served);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(served, bytes);
        workspace.Configure("test", server.UriOf("index.asc"), fixture.KeyringFile);
        await using var services = workspace.Services();

        var (repositories, _, entry) = await ListAsync(services, RepositoryOptions.Default);
        var error = await Assert.ThrowsAsync<RepositoryException>(() => repositories.PullAsync(entry, RepositoryOptions.Default, events, timeout.Token));

        Assert.Contains("sha512 checksum", error.Message);
        Assert.Contains(server.UriOf(RepositoryWorkspace.File).AbsoluteUri, error.Message);
        Assert.Contains(fixture.CompressedSha512, error.Message);
        AssertStoreEmpty();
    }

    [Fact]
    public async Task Refuses_a_signed_index_whose_content_changed_after_signing()
    {
        await using var server = new LoopbackHttpServer(workspace.Served);
        workspace.ServeTemplate(signed: true);
        var signedIndex = Path.Combine(workspace.Served, "index.asc");
        await File.WriteAllTextAsync(signedIndex, (await File.ReadAllTextAsync(signedIndex)).Replace("file=tiny.qcow2.xz", "file=evil.qcow2.xz"));
        workspace.Configure("test", server.UriOf("index.asc"), fixture.ArmoredKeyFile);
        await using var services = workspace.Services();
        var repositories = services.GetRequiredService<ITemplateRepositories>();

        var error = await Assert.ThrowsAsync<RepositoryException>(() => repositories.ListAsync(RepositoryOptions.Default, events, timeout.Token));

        Assert.Contains("signature", error.Message);
        Assert.Contains("does not verify", error.Message);
        Assert.Contains(server.UriOf("index.asc").AbsoluteUri, error.Message);
        AssertStoreEmpty();
    }

    [Fact]
    public async Task Refuses_an_unsigned_index_unless_signatures_are_not_checked_and_then_says_so()
    {
        await using var server = new LoopbackHttpServer(workspace.Served);
        workspace.ServeTemplate(signed: false);
        workspace.Configure("test", server.UriOf("index"), fixture.ArmoredKeyFile);
        await using var services = workspace.Services();
        var repositories = services.GetRequiredService<ITemplateRepositories>();

        var refused = await Assert.ThrowsAsync<RepositoryException>(() => repositories.ListAsync(RepositoryOptions.Default, events, timeout.Token));
        var unchecked_ = RepositoryOptions.Default with { CheckSignature = false };
        var (_, _, entry) = await ListAsync(services, unchecked_);
        var stored = await repositories.PullAsync(entry, unchecked_, events, timeout.Token);

        Assert.Contains("is not signed", refused.Message);
        Assert.Contains("--no-check-signature", refused.Hint);
        Assert.False(entry.Signed);
        Assert.Equal("sha256:" + fixture.TemplateSha256, stored.Digest);
        Assert.Contains(events.OfType<Notice>(), n => n.Message.StartsWith("signatures are not checked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refuses_a_signed_index_without_a_configured_key()
    {
        await using var server = new LoopbackHttpServer(workspace.Served);
        workspace.ServeTemplate(signed: true);
        await using var services = workspace.Services();
        var repositories = services.GetRequiredService<ITemplateRepositories>();
        var options = new RepositoryOptions([server.UriOf("index.asc").AbsoluteUri]);

        var error = await Assert.ThrowsAsync<RepositoryException>(() => repositories.ListAsync(options, events, timeout.Token));

        Assert.Contains("no key is configured", error.Message);
        Assert.Contains("gpgkey=", error.Hint);
    }

    [Fact]
    public async Task Refuses_an_entry_without_a_checksum_unless_checksums_are_not_checked()
    {
        await using var server = new LoopbackHttpServer(workspace.Served);
        workspace.ServeTemplate(signed: true, sha512: "");
        workspace.Configure("test", server.UriOf("index.asc"), fixture.ArmoredKeyFile);
        await using var services = workspace.Services();

        var (repositories, _, entry) = await ListAsync(services, RepositoryOptions.Default);
        var refused = await Assert.ThrowsAsync<RepositoryException>(() => repositories.PullAsync(entry, RepositoryOptions.Default, events, timeout.Token));
        var requestsWhenRefused = server.Requests(RepositoryWorkspace.File);
        var stored = await repositories.PullAsync(entry, RepositoryOptions.Default with { CheckChecksum = false }, events, timeout.Token);

        Assert.Contains("no checksum[sha512]", refused.Message);
        Assert.Equal(0, requestsWhenRefused);
        Assert.Equal("sha256:" + fixture.TemplateSha256, stored.Digest);
        Assert.Contains(events.OfType<Notice>(), n => n.Message.StartsWith("checksums are not checked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resumes_a_download_cut_off_halfway_with_a_range_request()
    {
        await using var server = new LoopbackHttpServer(workspace.Served);
        workspace.ServeTemplate(signed: true);
        workspace.Configure("test", server.UriOf("index.asc"), fixture.ArmoredKeyFile);
        var half = new FileInfo(fixture.CompressedTemplate).Length / 2;
        server.CutOffOnce(RepositoryWorkspace.File, half);
        await using var services = workspace.Services();

        var (repositories, _, entry) = await ListAsync(services, RepositoryOptions.Default);
        var stored = await repositories.PullAsync(entry, RepositoryOptions.Default, events, timeout.Token);

        Assert.Equal([null, $"bytes={half}-"], server.Ranges(RepositoryWorkspace.File));
        Assert.Equal("sha256:" + fixture.TemplateSha256, stored.Digest);
        Assert.Contains(events.OfType<Notice>(), n => n.Message.StartsWith("resuming the download", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reuses_a_template_pulled_from_the_same_entry_without_downloading_it_again()
    {
        await using var server = new LoopbackHttpServer(workspace.Served);
        workspace.ServeTemplate(signed: true);
        workspace.Configure("test", server.UriOf("index.asc"), fixture.ArmoredKeyFile);
        await using var services = workspace.Services();

        var (repositories, _, entry) = await ListAsync(services, RepositoryOptions.Default);
        var first = await repositories.PullAsync(entry, RepositoryOptions.Default, events, timeout.Token);
        var downloads = server.Requests(RepositoryWorkspace.File);
        var second = await repositories.PullAsync(entry, RepositoryOptions.Default, events, timeout.Token);

        Assert.Equal(1, downloads);
        Assert.Equal(1, server.Requests(RepositoryWorkspace.File));
        Assert.Equal(first, second);
        Assert.Contains(events.OfType<Notice>(), n => n.Message.Contains("already in the store", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Names_the_uri_without_credentials_when_a_template_is_missing()
    {
        await using var server = new LoopbackHttpServer(workspace.Served);
        workspace.ServeTemplate(signed: true);
        File.Delete(Path.Combine(workspace.Served, RepositoryWorkspace.File));
        var index = new UriBuilder(server.UriOf("index.asc")) { UserName = "alice", Password = "s3cret" }.Uri;
        workspace.Configure("test", index, fixture.ArmoredKeyFile);
        await using var services = workspace.Services();

        var (repositories, _, entry) = await ListAsync(services, RepositoryOptions.Default);
        var error = await Assert.ThrowsAsync<RepositoryException>(() => repositories.PullAsync(entry, RepositoryOptions.Default, events, timeout.Token));

        Assert.Contains(server.UriOf(RepositoryWorkspace.File).AbsoluteUri + " was not found (HTTP 404", error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
        Assert.DoesNotContain(events.All, e => e.ToString().Contains("s3cret", StringComparison.Ordinal));
        Assert.Equal(1, server.Requests(RepositoryWorkspace.File));
        AssertStoreEmpty();
    }

    [Fact]
    public async Task Gives_up_on_a_stalled_server_after_bounded_retries_naming_the_uri()
    {
        await using var server = new LoopbackHttpServer(workspace.Served);
        workspace.ServeTemplate(signed: true);
        workspace.Configure("test", server.UriOf("index.asc"), fixture.ArmoredKeyFile);
        server.Delay(RepositoryWorkspace.File, TimeSpan.FromSeconds(20));
        var fast = new ResiliencePipelineRegistry<string>();
        fast.TryAddBuilder(ResiliencePipelines.Download, (builder, _) => builder.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<IOException>().Handle<HttpRequestException>(),
            MaxRetryAttempts = 2,
            Delay = TimeSpan.Zero,
        }));
        ResiliencePipelines.Configure(fast);
        await using var services = workspace.Services(s => s
            .AddSingleton(fast)
            .AddSingleton(DownloadSettings.Default with { StallTimeout = TimeSpan.FromMilliseconds(500) }));

        var (repositories, _, entry) = await ListAsync(services, RepositoryOptions.Default);
        var error = await Assert.ThrowsAsync<RepositoryException>(() => repositories.PullAsync(entry, RepositoryOptions.Default, events, timeout.Token));

        Assert.StartsWith($"downloading {server.UriOf(RepositoryWorkspace.File).AbsoluteUri} failed after 3 attempts: nothing was received for", error.Message);
        Assert.Equal(3, server.Requests(RepositoryWorkspace.File));
        Assert.Equal(2, events.OfType<Notice>().Count(n => n.Message.StartsWith("retrying", StringComparison.Ordinal)));
        AssertStoreEmpty();
    }

    [Fact]
    public async Task Refuses_a_template_that_refers_to_a_file_of_the_build_host_and_stores_nothing()
    {
        await using var server = new LoopbackHttpServer(workspace.Served);
        var overlay = Path.Combine(workspace.Path, "overlay.qcow2");
        Tools.Run("qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", fixture.Template, overlay);
        Tools.Run("xz", "--compress", overlay);
        workspace.ServeTemplate(signed: true, compressed: overlay + ".xz");
        workspace.Configure("test", server.UriOf("index.asc"), fixture.ArmoredKeyFile);
        await using var services = workspace.Services();

        var (repositories, _, entry) = await ListAsync(services, RepositoryOptions.Default);
        var error = await Assert.ThrowsAsync<RepositoryException>(() => repositories.PullAsync(entry, RepositoryOptions.Default, events, timeout.Token));

        Assert.Contains($"refers to a file outside itself ({fixture.Template})", error.Message);
        AssertStoreEmpty();
    }
}
