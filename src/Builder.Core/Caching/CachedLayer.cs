namespace Builder.Caching;

/// <summary>A layer in the cache: a qcow2 overlay whose backing file is its parent.</summary>
/// <param name="Id">The id of the layer's last step.</param>
/// <param name="Backend">The backend that built it.</param>
/// <param name="Parent">The previous layer's id, or the plan's base.</param>
/// <param name="Sha256">Of the overlay file, recorded when it was published.</param>
/// <param name="LastUsed">When a build last used it (the LRU order for pruning).</param>
/// <param name="Backing">The cached layer its overlay's backing file is (usually the parent); null on the template.</param>
/// <param name="BackingSha256">That layer's sha256 when this one was built on it.</param>
public sealed record CachedLayer(
    string Id, string Backend, string Parent, string Path, string Sha256, long Size, DateTimeOffset Created, DateTimeOffset LastUsed,
    string? Backing = null, string? BackingSha256 = null);

/// <summary>Why a cached layer was not used.</summary>
public sealed record LayerProblem(string Id, string Reason);
