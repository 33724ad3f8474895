namespace Builder.Templates.Repositories;

/// <summary>URIs as they may be shown: never with the user name and password some carry.</summary>
public static class Uris
{
    public static string Display(Uri uri)
    {
        if (!uri.IsAbsoluteUri) return uri.OriginalString;
        if (uri.IsFile || string.IsNullOrEmpty(uri.UserInfo)) return uri.AbsoluteUri;
        return new UriBuilder(uri) { UserName = "", Password = "" }.Uri.AbsoluteUri;
    }

    /// <summary>The user name and password of a URI's user information, percent-decoded.</summary>
    public static (string User, string Password) Credentials(Uri uri)
    {
        var parts = uri.UserInfo.Split(':', 2);
        return (Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
    }
}
