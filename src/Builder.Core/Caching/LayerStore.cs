using Builder.Images;
using Builder.Storage;

namespace Builder.Caching;

/// <summary>The layer caches in the store, one per backend (<c>layers/&lt;backend&gt;/</c>).</summary>
public sealed class LayerStore(StoreLocation store, IDiskImages images, TimeProvider time)
{
    public string Root => Path.Combine(store.Root, "layers");

    public LayerCache For(string backend) => new(Path.Combine(Root, backend), backend, Path.Combine(store.Root, "locks"), images, time);

    /// <summary>What a build on <paramref name="backend"/> would take from the cache, and why not the rest; reads no layer (for plans).</summary>
    public IReadOnlyList<LayerState> Preview(Planning.BuildPlan plan, string backend, BuildHistory history)
    {
        var cache = For(backend);
        return MissReasons.States(plan, layer => cache.Peek(layer.Id), history.Load(plan.Recipe));
    }

    /// <summary>The cache of every backend that has one.</summary>
    public IReadOnlyList<LayerCache> All() =>
        Directory.Exists(Root)
            ? Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>().Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal).Select(For).ToList()
            : [];
}
