namespace Builder.Templates.Repositories.Sources;

/// <summary>A place to read an index from: a configured repository or a --source.</summary>
/// <param name="Id">The repos.d [id], or the URI (without credentials) of a --source.</param>
/// <param name="GpgKey">The key file that must have signed the index, or null when none is configured.</param>
public sealed record RepositorySource(string Id, Uri IndexUri, string? GpgKey, string? Proxy)
{
    public string Display => Uris.Display(IndexUri);
}

/// <summary>The configured repositories followed by the --source URIs, in that order.</summary>
public static class RepositorySources
{
    public static IReadOnlyList<RepositorySource> Resolve(RepositoryConfigFolders folders, RepositoryOptions options)
    {
        var config = RepositoryConfig.Load(folders);
        if (config.Diagnostics.Any(d => d.IsError)) throw RepositoryException.InvalidConfiguration(config.Diagnostics);
        var sources = config.Repositories.Select(r => new RepositorySource(r.Id, r.Uri, r.GpgKey, r.Proxy)).ToList();
        foreach (var given in options.Sources)
        {
            if (!TryParseUri(given, out var uri)) throw RepositoryException.InvalidSource(given);
            // The same index as a configured repository is that repository, with its key.
            if (sources.Any(s => s.IndexUri == uri)) continue;
            sources.Add(new RepositorySource(Uris.Display(uri), uri, GpgKey: null, Proxy: null));
        }
        return sources;
    }

    /// <summary>A file://, http:// or https:// URI; an absolute local path is taken as a file:// URI.</summary>
    public static bool TryParseUri(string text, out Uri uri)
    {
        uri = null!;
        if (text.StartsWith('/') && Uri.TryCreate(text, UriKind.Absolute, out var path) && path.IsFile)
        {
            uri = path;
            return true;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("file" or "http" or "https")) return false;
        if (parsed.IsFile && !string.IsNullOrEmpty(parsed.Host) && parsed.Host != "localhost") return false;
        uri = parsed;
        return true;
    }
}
