namespace Builder.Caching;

/// <summary>What pruning or collecting removed, and the layers it kept because a build uses them.</summary>
public sealed record PruneResult(IReadOnlyList<CachedLayer> Removed, IReadOnlyList<CachedLayer> InUse, IReadOnlyList<string> Leftovers)
{
    public long FreedBytes => Removed.Sum(l => l.Size);
}

/// <summary>
/// Removes layers, least recently used first, never one that a build holds. A layer goes with
/// every layer built on it (they cannot be used without it); one held layer keeps its whole chain.
/// </summary>
public sealed class LayerPruner(LayerStore store, TimeProvider time)
{
    /// <summary>
    /// Removes layers last used before <paramref name="olderThan"/> ago, then more, oldest first,
    /// until what is left fits in <paramref name="maxSize"/> bytes. With neither, removes every layer not in use.
    /// </summary>
    public PruneResult Prune(TimeSpan? olderThan, long? maxSize)
    {
        var all = store.All().SelectMany(c => c.List().Select(l => (Cache: c, Layer: l))).OrderBy(x => x.Layer.LastUsed).ToList();
        var removed = new List<CachedLayer>();
        var inUse = new List<CachedLayer>();
        var gone = new HashSet<(string, string)>();
        long total = all.Sum(x => x.Layer.Size);
        var cutoff = olderThan is { } age ? time.GetUtcNow() - age : (DateTimeOffset?)null;
        foreach (var (cache, layer) in all)
        {
            if (gone.Contains((cache.Backend, layer.Id))) continue;
            var wanted = (olderThan is null && maxSize is null)
                || (cutoff is { } c && layer.LastUsed < c)
                || (maxSize is { } max && total > max);
            if (!wanted) continue;
            var subtree = Subtree(layer, all.Where(x => x.Cache.Backend == cache.Backend).Select(x => x.Layer).ToList());
            if (subtree.FirstOrDefault(l => cache.InUse(l.Id)) is { } held)
            {
                inUse.Add(held);
                continue;
            }
            // Children first, so a layer is never left without its parent.
            foreach (var victim in subtree.AsEnumerable().Reverse())
            {
                if (!cache.TryRemove(victim.Id))
                {
                    inUse.Add(victim);
                    break;
                }
                gone.Add((cache.Backend, victim.Id));
                removed.Add(victim);
                total -= victim.Size;
            }
        }
        return new PruneResult(removed, inUse.DistinctBy(l => (l.Backend, l.Id)).ToList(), []);
    }

    /// <summary>
    /// Removes what no build can use: folders of builds that died before publishing, discarded
    /// layers, and layers whose parent layer is gone.
    /// </summary>
    public PruneResult Collect()
    {
        var leftovers = new List<string>();
        var removed = new List<CachedLayer>();
        var inUse = new List<CachedLayer>();
        foreach (var cache in store.All())
        {
            leftovers.AddRange(cache.RemoveAbandoned());
            var layers = cache.List();
            var ids = layers.Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var orphan in layers.Where(l => (IsLayerId(l.Parent) && !ids.Contains(l.Parent)) || (l.Backing is { } b && !ids.Contains(b))))
            {
                foreach (var victim in Subtree(orphan, layers).AsEnumerable().Reverse())
                {
                    if (cache.TryRemove(victim.Id)) removed.Add(victim);
                    else inUse.Add(victim);
                }
            }
        }
        return new PruneResult(removed.DistinctBy(l => (l.Backend, l.Id)).ToList(), inUse, leftovers);
    }

    /// <summary>A layer's parent is another layer when it is a bare step id; the first layer's is the template's digest (sha256:…).</summary>
    private static bool IsLayerId(string parent) => !parent.Contains(':');

    /// <summary>The layer and every layer built on it, parents before children.</summary>
    private static List<CachedLayer> Subtree(CachedLayer root, IReadOnlyList<CachedLayer> layers)
    {
        var result = new List<CachedLayer> { root };
        for (var i = 0; i < result.Count; i++)
            result.AddRange(layers.Where(l => (l.Parent == result[i].Id || l.Backing == result[i].Id) && result.All(r => r.Id != l.Id)));
        return result;
    }
}
