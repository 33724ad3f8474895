using System.Net;
using System.Net.Http.Headers;
using Builder.Execution;
using Builder.Recipes;
using Builder.Resilience;
using Polly.Registry;

namespace Builder.Templates.Repositories.Downloads;

/// <summary>
/// Fetches indexes and template files from file://, http:// and https://. Each attempt has an
/// overall timeout and a stall timeout; failed attempts are retried through the "download" pipeline,
/// and a partial file is resumed with a Range request (If-Range, so a file changed on the server
/// starts over). Errors name the URI, never its credentials.
/// </summary>
public sealed class TemplateDownloader(RepositoryHttp http, ResiliencePipelineProvider<string> pipelines, TimeProvider time, DownloadSettings settings)
{
    private const int BufferSize = 1 << 20;

    /// <summary>A small file (an index), whole, in memory.</summary>
    public async Task<byte[]> ReadAsync(Uri uri, string? proxy, CancellationToken cancellationToken)
    {
        var display = Uris.Display(uri);
        if (uri.IsFile)
        {
            var info = new FileInfo(uri.LocalPath);
            if (!info.Exists) throw RepositoryException.NotFound(display, "no such file");
            if (info.Length > settings.MaxIndexBytes) throw RepositoryException.TooLarge(display, settings.MaxIndexBytes);
            try
            {
                return await File.ReadAllBytesAsync(info.FullName, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw RepositoryException.LocalFailure($"reading {display}", e);
            }
        }
        return await WithRetriesAsync(display, null, async (attempt, token) =>
        {
            using var limits = Limits(token);
            try
            {
                using var request = HttpRequests.Get(uri);
                using var response = await http.For(proxy).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limits.Token);
                HttpRequests.Check(response, display);
                if (response.Content.Headers.ContentLength > settings.MaxIndexBytes) throw RepositoryException.TooLarge(display, settings.MaxIndexBytes);
                await using var body = await response.Content.ReadAsStreamAsync(limits.Token);
                using var memory = new MemoryStream();
                var buffer = new byte[81920];
                int read;
                while ((read = await limits.ReadAsync(body, buffer)) > 0)
                {
                    memory.Write(buffer, 0, read);
                    if (memory.Length > settings.MaxIndexBytes) throw RepositoryException.TooLarge(display, settings.MaxIndexBytes);
                }
                return memory.ToArray();
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                throw limits.TimedOut();
            }
        }, cancellationToken);
    }

    /// <summary>Downloads <paramref name="uri"/> to <paramref name="destination"/>, resuming what an earlier attempt left there.</summary>
    public async Task DownloadAsync(Uri uri, string? proxy, string destination, IBuildEvents events, CancellationToken cancellationToken)
    {
        var display = Uris.Display(uri);
        if (uri.IsFile)
        {
            if (!File.Exists(uri.LocalPath)) throw RepositoryException.NotFound(display, "no such file");
            await using var source = new FileStream(uri.LocalPath, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
            await using var target = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
            await source.CopyToAsync(target, BufferSize, cancellationToken);
            return;
        }

        var state = new ResumeState();
        await WithRetriesAsync(display, events, async (attempt, token) =>
        {
            var have = File.Exists(destination) ? new FileInfo(destination).Length : 0;
            if (attempt > 1 && have > 0) events.Emit(new Notice($"resuming the download of {display} at {ByteSize.Format(have)}"));
            using var limits = Limits(token);
            try
            {
                await AttemptAsync(uri, proxy, display, destination, have, state, limits, events);
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                throw limits.TimedOut();
            }
            return true;
        }, cancellationToken);
    }

    private async Task AttemptAsync(Uri uri, string? proxy, string display, string destination, long have,
        ResumeState state, AttemptLimits limits, IBuildEvents events)
    {
        using var request = HttpRequests.Get(uri);
        if (have > 0)
        {
            request.Headers.Range = new RangeHeaderValue(have, null);
            if (state.ETag is { IsWeak: false } etag) request.Headers.IfRange = new RangeConditionHeaderValue(etag);
            else if (state.LastModified is { } modified) request.Headers.IfRange = new RangeConditionHeaderValue(modified);
        }
        using var response = await http.For(proxy).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limits.Token);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && have > 0)
        {
            // Our partial file is not a prefix of theirs (or it is all of it); the checksum decides later.
            if (response.Content.Headers.ContentRange?.Length == have) return;
            File.Delete(destination);
            throw new IOException($"{display} could not be resumed (HTTP 416); starting again");
        }
        HttpRequests.Check(response, display);

        var partial = response.StatusCode == HttpStatusCode.PartialContent;
        if (partial && response.Content.Headers.ContentRange?.From != have)
        {
            File.Delete(destination);
            throw new IOException($"{display} answered with another byte range than asked for; starting again");
        }
        if (!partial) have = 0;
        state.ETag = response.Headers.ETag;
        state.LastModified = response.Content.Headers.LastModified;
        var total = partial ? response.Content.Headers.ContentRange?.Length : response.Content.Headers.ContentLength;

        await using var file = new FileStream(destination, partial ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
        await using var body = await response.Content.ReadAsStreamAsync(limits.Token);
        var buffer = new byte[BufferSize];
        var reported = time.GetTimestamp();
        int read;
        while ((read = await limits.ReadAsync(body, buffer)) > 0)
        {
            await file.WriteAsync(buffer.AsMemory(0, read), limits.Token);
            have += read;
            if (time.GetElapsedTime(reported) >= TimeSpan.FromSeconds(1))
            {
                events.Emit(new DownloadProgress(display, have, total));
                reported = time.GetTimestamp();
            }
        }
        if (total is { } expected && have < expected)
            throw new IOException($"the connection closed after {ByteSize.Format(have)} of {ByteSize.Format(expected)}");
        events.Emit(new DownloadProgress(display, have, total));
    }

    private async Task<T> WithRetriesAsync<T>(string display, IBuildEvents? events, Func<int, CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        var pipeline = pipelines.GetPipeline(ResiliencePipelines.Download);
        var attempts = 0;
        Exception? last = null;
        try
        {
            return await pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                if (last is not null) events?.Emit(new Notice($"retrying {display} (attempt {attempts}) after: {last.Message}"));
                try
                {
                    return await attempt(attempts, token);
                }
                catch (Exception e) when (e is IOException or HttpRequestException)
                {
                    last = e;
                    throw;
                }
            }, cancellationToken);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw RepositoryException.DownloadFailed(display, attempts, e);
        }
    }

    private AttemptLimits Limits(CancellationToken token) => new(token, settings, time);

    private sealed class ResumeState
    {
        public EntityTagHeaderValue? ETag { get; set; }

        public DateTimeOffset? LastModified { get; set; }
    }
}
