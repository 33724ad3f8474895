using Builder.IntegrationTests.Guestfs;
using Builder.IntegrationTests.Repositories;
using Builder.Resilience;
using Builder.Templates.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Registry;
using Polly.Retry;

namespace Builder.IntegrationTests.Reliability;

/// <summary>
/// A template download whose connection is cut off on every attempt, from a loopback server: each
/// attempt resumes where the last one stopped (a Range request), and the download either completes
/// across attempts or gives up after the configured number, saying how many were made.
/// (A single cut is in <see cref="RepositoryPullTests"/>; so is a server that never answers.)
/// </summary>
[Collection(RepositoryCollection.Name)]
public sealed class NetworkFaultTests(RepositoryFixture fixture) : IDisposable
{
    private readonly RepositoryWorkspace workspace = new(fixture);
    private readonly RecordingEvents events = new();
    private readonly CancellationTokenSource timeout = new(TimeSpan.FromMinutes(3));

    public void Dispose()
    {
        timeout.Dispose();
        workspace.Dispose();
    }

    [Fact]
    public async Task A_download_cut_off_on_every_attempt_resumes_each_time_and_completes()
    {
        // Given a server that closes every response after a third of the file
        await using var server = new LoopbackHttpServer(workspace.Served);
        var (services, third) = Serve(server, attempts: 4, part: 3);
        await using var _ = services;

        // When the template is pulled
        var repositories = services.GetRequiredService<ITemplateRepositories>();
        var entry = Assert.Single(await repositories.ListAsync(RepositoryOptions.Default, events, timeout.Token));
        var stored = await repositories.PullAsync(entry, RepositoryOptions.Default, events, timeout.Token);

        // Then three attempts, each resuming at the byte the last one stopped at, gave the whole file
        Assert.Equal([null, $"bytes={third}-", $"bytes={2 * third}-"], server.Ranges(RepositoryWorkspace.File));
        Assert.Equal("sha256:" + fixture.TemplateSha256, stored.Digest);
        Assert.Equal(2, events.OfType<Builder.Execution.Notice>().Count(n => n.Message.StartsWith("resuming the download", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_download_cut_off_on_every_attempt_gives_up_after_the_configured_attempts_saying_how_many()
    {
        // Given a server that closes every response after a tenth of the file, and three attempts allowed
        await using var server = new LoopbackHttpServer(workspace.Served);
        var (services, tenth) = Serve(server, attempts: 3, part: 10);
        await using var _ = services;

        // When the template is pulled
        var repositories = services.GetRequiredService<ITemplateRepositories>();
        var entry = Assert.Single(await repositories.ListAsync(RepositoryOptions.Default, events, timeout.Token));
        var error = await Assert.ThrowsAsync<RepositoryException>(() => repositories.PullAsync(entry, RepositoryOptions.Default, events, timeout.Token));

        // Then it made three attempts, each resumed, and says so; the store holds nothing of it
        Assert.StartsWith($"downloading {server.UriOf(RepositoryWorkspace.File).AbsoluteUri} failed after 3 attempts: ", error.Message);
        Assert.Equal([null, $"bytes={tenth}-", $"bytes={2 * tenth}-"], server.Ranges(RepositoryWorkspace.File));
        var (refs, templates, scratch) = workspace.StoreContents();
        Assert.Empty(refs);
        Assert.Empty(templates);
        Assert.Empty(scratch);
    }

    /// <summary>Serves the signed tiny template, cut off after 1/<paramref name="part"/> of it (rounded up) on every response.</summary>
    private (ServiceProvider Services, long CutAfter) Serve(LoopbackHttpServer server, int attempts, int part)
    {
        workspace.ServeTemplate(signed: true);
        workspace.Configure("test", server.UriOf("index.asc"), fixture.ArmoredKeyFile);
        var cutAfter = (new FileInfo(fixture.CompressedTemplate).Length + part - 1) / part;
        server.CutOffEvery(RepositoryWorkspace.File, cutAfter);
        var pipelines = new ResiliencePipelineRegistry<string>();
        pipelines.TryAddBuilder(ResiliencePipelines.Download, (builder, _) => builder.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<IOException>().Handle<HttpRequestException>(),
            MaxRetryAttempts = attempts - 1,
            Delay = TimeSpan.Zero,
        }));
        ResiliencePipelines.Configure(pipelines);
        return (workspace.Services(s => s.AddSingleton(pipelines)), cutAfter);
    }
}
