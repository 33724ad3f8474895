using System.Net.Http.Headers;
using System.Text;

namespace Builder.Templates.Repositories.Downloads;

/// <summary>The requests downloads make, and which responses are worth another attempt.</summary>
internal static class HttpRequests
{
    /// <summary>A GET; credentials in the URI's user information become Basic authentication (dropped on redirects).</summary>
    public static HttpRequestMessage Get(Uri uri)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var (user, password) = Uris.Credentials(uri);
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }
        return request;
    }

    /// <summary>Server errors and throttling are worth retrying; a missing file or a refusal is not.</summary>
    public static void Check(HttpResponseMessage response, string display)
    {
        if (response.IsSuccessStatusCode) return;
        var code = (int)response.StatusCode;
        var status = $"HTTP {code} {response.ReasonPhrase}".TrimEnd();
        if (code >= 500 || code is 408 or 429) throw new HttpRequestException(status, null, response.StatusCode);
        throw RepositoryException.NotFound(display, status);
    }
}
