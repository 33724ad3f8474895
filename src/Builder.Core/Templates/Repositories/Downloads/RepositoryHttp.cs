using System.Collections.Concurrent;
using System.Net;

namespace Builder.Templates.Repositories.Downloads;

/// <summary>
/// The HttpClients downloads use: one per proxy setting of repos.d (null or "system": the
/// environment's http_proxy/https_proxy/no_proxy; "no" or "off": none; else that proxy's URL).
/// Responses are never decompressed in transit, so byte ranges and checksums apply to the file itself.
/// </summary>
public sealed class RepositoryHttp(DownloadSettings settings) : IDisposable
{
    private readonly ConcurrentDictionary<string, HttpClient> clients = new(StringComparer.Ordinal);

    public HttpClient For(string? proxy) => clients.GetOrAdd(proxy ?? "system", Create);

    private HttpClient Create(string proxy)
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = settings.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 10,
        };
        switch (proxy)
        {
            case "system":
                break;
            case "no" or "off":
                handler.UseProxy = false;
                break;
            default:
                var uri = new Uri(proxy);
                var webProxy = new WebProxy(new UriBuilder(uri) { UserName = "", Password = "" }.Uri);
                if (!string.IsNullOrEmpty(uri.UserInfo))
                {
                    var (user, password) = Uris.Credentials(uri);
                    webProxy.Credentials = new NetworkCredential(user, password);
                }
                handler.Proxy = webProxy;
                break;
        }
        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("builder");
        return client;
    }

    public void Dispose()
    {
        foreach (var client in clients.Values) client.Dispose();
        clients.Clear();
    }
}
