using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Builder.IntegrationTests.Repositories;

/// <summary>
/// A small HTTP/1.1 file server on 127.0.0.1 (a free port), started by a test: it serves a folder,
/// honours Range (and If-Range against its ETag), counts requests per path, and on demand delays a
/// response, cuts it off after some bytes by closing the connection, as a flaky network does, or
/// stops sending at some byte of a file and keeps the connection open, as a mirror that hangs does.
/// </summary>
internal sealed partial class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentQueue<(string Path, string? Range)> requests = new();
    private readonly ConcurrentDictionary<string, long> cutOffs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TimeSpan> delays = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> everyCutOffs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> stalls = new(StringComparer.Ordinal);
    private readonly Task accepting;

    public LoopbackHttpServer(string root)
    {
        Root = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        listener.Start();
        BaseUri = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        accepting = AcceptAsync();
    }

    public string Root { get; }

    public Uri BaseUri { get; }

    public Uri UriOf(string path) => new(BaseUri, path);

    /// <summary>How many requests asked for /<paramref name="path"/>.</summary>
    public int Requests(string path) => requests.Count(r => r.Path == "/" + path);

    /// <summary>The Range headers of the requests for /<paramref name="path"/> (null: none).</summary>
    public IReadOnlyList<string?> Ranges(string path) => requests.Where(r => r.Path == "/" + path).Select(r => r.Range).ToList();

    /// <summary>The next response for /<paramref name="path"/> stops after that many bytes of body.</summary>
    public void CutOffOnce(string path, long afterBytes) => cutOffs["/" + path] = afterBytes;

    /// <summary>Every response for /<paramref name="path"/> stops after that many bytes of body (a resumed one too).</summary>
    public void CutOffEvery(string path, long afterBytes) => everyCutOffs["/" + path] = afterBytes;

    /// <summary>
    /// No response for the file <paramref name="path"/> (relative to the root, however the request spells
    /// it) sends its bytes from <paramref name="offset"/> on: it sends what comes before, then neither
    /// sends nor closes until the server stops.
    /// </summary>
    public void StallAt(string path, long offset) => stalls[path] = offset;

    /// <summary>Every response for /<paramref name="path"/> waits this long before its headers.</summary>
    public void Delay(string path, TimeSpan delay) => delays["/" + path] = delay;

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var connection = client;
        try
        {
            var stream = client.GetStream();
            var head = await ReadHeadAsync(stream);
            if (head is null) return;
            var lines = head.Split("\r\n");
            var target = lines[0].Split(' ')[1];
            var path = Uri.UnescapeDataString(target.Split('?')[0]);
            var headers = lines.Skip(1).Where(l => l.Contains(':'))
                .ToDictionary(l => l[..l.IndexOf(':')].Trim(), l => l[(l.IndexOf(':') + 1)..].Trim(), StringComparer.OrdinalIgnoreCase);
            headers.TryGetValue("Range", out var range);
            requests.Enqueue((path, range));
            if (delays.TryGetValue(path, out var delay)) await Task.Delay(delay, stopping.Token);

            var file = Path.GetFullPath(Path.Combine(Root, path.TrimStart('/')));
            if (!file.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(file))
            {
                await WriteHeadAsync(stream, "404 Not Found", ("Content-Length", "0"));
                return;
            }

            var bytes = await File.ReadAllBytesAsync(file);
            var etag = $"\"{bytes.Length}-{File.GetLastWriteTimeUtc(file).Ticks}\"";
            long start = 0, end = bytes.Length - 1;
            var partial = false;
            if (range is not null && RangePattern().Match(range) is { Success: true } match
                && (!headers.TryGetValue("If-Range", out var ifRange) || ifRange == etag))
            {
                start = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                if (match.Groups[2].Length > 0) end = Math.Min(end, long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
                if (start >= bytes.Length)
                {
                    await WriteHeadAsync(stream, "416 Range Not Satisfiable", ("Content-Range", $"bytes */{bytes.Length}"), ("Content-Length", "0"));
                    return;
                }
                partial = true;
            }

            var length = end - start + 1;
            (string, string)[] common = [("Content-Length", length.ToString(CultureInfo.InvariantCulture)), ("Accept-Ranges", "bytes"),
                ("ETag", etag), ("Content-Type", "application/octet-stream")];
            if (partial) await WriteHeadAsync(stream, "206 Partial Content", [.. common, ("Content-Range", $"bytes {start}-{end}/{bytes.Length}")]);
            else await WriteHeadAsync(stream, "200 OK", common);

            var send = length;
            if (cutOffs.TryRemove(path, out var cut) || everyCutOffs.TryGetValue(path, out cut)) send = Math.Min(length, cut);
            var stall = stalls.TryGetValue(Path.GetRelativePath(Root, file), out var stallAt);
            if (stall) send = Math.Clamp(stallAt - start, 0, length);
            await stream.WriteAsync(bytes.AsMemory((int)start, (int)send), stopping.Token);
            await stream.FlushAsync(stopping.Token);
            if (stall) await Task.Delay(Timeout.Infinite, stopping.Token);
            if (send < length) client.Client.Shutdown(SocketShutdown.Both); // a cut: the client sees the body end early
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, or the server is stopping.
        }
    }

    private async Task<string?> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var buffer = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(buffer, stopping.Token) == 0) return null;
            head.Append((char)buffer[0]);
            if (head.Length > 65536) return null;
        }
        return head.ToString();
    }

    private async Task WriteHeadAsync(NetworkStream stream, string status, params (string Name, string Value)[] headers)
    {
        var text = new StringBuilder($"HTTP/1.1 {status}\r\nConnection: close\r\n");
        foreach (var (name, value) in headers) text.Append(name).Append(": ").Append(value).Append("\r\n");
        text.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text.ToString()), stopping.Token);
    }

    [GeneratedRegex(@"^bytes=(\d+)-(\d*)$")]
    private static partial Regex RangePattern();

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        try { await accepting; } catch (OperationCanceledException) { }
        stopping.Dispose();
    }
}
