using System.Text.Json;
using System.Text.Json.Serialization;
using Builder.Execution;
using Builder.Images;
using Builder.Templates.Store;

namespace Builder.Caching;

/// <summary>
/// The layers one backend built, by id:
/// <code>
/// layers/&lt;backend&gt;/&lt;id&gt;/layer.qcow2   overlay, backing file ../&lt;parent-id&gt;/layer.qcow2 or the template
/// layers/&lt;backend&gt;/&lt;id&gt;/layer.json    parent, sha256 and size recorded at publish
/// layers/&lt;backend&gt;/&lt;id&gt;/last-used     its modification time is when a build last used the layer
/// layers/&lt;backend&gt;/&lt;id&gt;/in-use        share-locked (flock) by every build using it; pruning skips it
/// layers/&lt;backend&gt;/.building-&lt;id&gt;-&lt;n&gt;/ a layer being built (same depth, so relative backing paths hold)
/// </code>
/// Layers are kept per backend: both give the same file tree, but not the same blocks, and a
/// cache must only ever return what a build on the same engine would have written. For the same
/// reason a layer is only valid on the very file it was built on (its overlay holds blocks, not
/// files): each records that backing layer and its sha256, and a layer goes when it goes. The
/// backing layer is the parent, except for layers checkpointed from one long session (appliance),
/// whose backing is the layer the session started on.
/// A layer is published by renaming its folder, so it is either whole or absent; it is checked
/// (size, sha256, qemu-img check) before use, and a bad one is discarded.
/// </summary>
public sealed partial class LayerCache(string root, string backend, string locks, IDiskImages images, TimeProvider time)
{

    public string Backend => backend;

    public string Root => root;

    public string FolderOf(string id) => Path.Combine(root, id);

    public string OverlayOf(string id) => Path.Combine(FolderOf(id), "layer.qcow2");

    /// <summary>Whether the layer looks present (record and overlay of the recorded size), without reading it: for plans.</summary>
    public bool Peek(string id) =>
        Get(id) is { } layer && File.Exists(layer.Path) && new FileInfo(layer.Path).Length == layer.Size;

    /// <summary>The layer when it is there and sound; otherwise null, with the problem when there was one (it is then discarded).</summary>
    public async Task<(CachedLayer? Layer, LayerProblem? Problem)> FindAsync(string id, CancellationToken cancellationToken)
    {
        var folder = FolderOf(id);
        if (!Directory.Exists(folder)) return (null, null);
        var layer = Get(id);
        string? problem = null;
        if (layer is null) problem = "its record is missing or unreadable";
        else if (!File.Exists(layer.Path)) problem = "its overlay is missing";
        else if (new FileInfo(layer.Path).Length != layer.Size) problem = $"its overlay is {new FileInfo(layer.Path).Length} bytes, not the {layer.Size} recorded";
        else if (!VerifiedUnchanged(layer) && await VerifyAsync(layer, cancellationToken) is { } failure) problem = failure;
        else if (layer.Backing is { } backing && Get(backing)?.Sha256 != layer.BackingSha256) problem = "it was built on another copy of the layer below it";
        if (problem is null)
        {
            RecordVerified(layer!);
            return (layer, null);
        }
        Discard(id);
        return (null, new LayerProblem(id, problem));
    }

    /// <summary>A folder to build a layer in; its overlay's relative backing path works after publishing.</summary>
    public string StartBuilding(string id)
    {
        var folder = Path.Combine(root, $".building-{id}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>The backing file for a layer built in a folder of this cache: relative for a cached parent, absolute otherwise.</summary>
    public static string BackingFor(string? parentLayer, string template) =>
        parentLayer is not null ? $"../{parentLayer}/layer.qcow2" : Path.GetFullPath(template);

    /// <summary>Records the layer's sha256 and publishes its folder under its id (a rename). An existing one wins.</summary>
    /// <param name="parent">The previous layer's id, or the plan's base.</param>
    /// <param name="backing">The cached layer the overlay's backing file is, or null when it is the template.</param>
    public async Task<CachedLayer> PublishAsync(string id, string parent, string? backing, string buildingFolder, CancellationToken cancellationToken)
    {
        var overlay = Path.Combine(buildingFolder, "layer.qcow2");
        var now = time.GetUtcNow();
        var backingSha256 = backing is null ? null : Get(backing)?.Sha256 ?? throw new IOException($"layer {backing} is gone");
        var record = new LayerRecord(id, parent, await ImageSha256.OfAsync(overlay, cancellationToken), new FileInfo(overlay).Length, now, backing, backingSha256);
        await File.WriteAllTextAsync(Path.Combine(buildingFolder, "layer.json"), JsonSerializer.Serialize(record, RecordJson.Default.LayerRecord), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(buildingFolder, "last-used"), "", cancellationToken);
        File.SetUnixFileMode(overlay, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        // Checked as every use checks it, so the next build (often the very next command) need not hash it again.
        if (await images.CheckAsync(overlay, cancellationToken) is { } problem) throw new IOException($"layer {id[..12]} fails qemu-img check as it is published: {problem}");
        await File.WriteAllTextAsync(Path.Combine(buildingFolder, "verified"), Identity(overlay), cancellationToken);
        Flush(overlay);
        try
        {
            Directory.Move(buildingFolder, FolderOf(id));
        }
        catch (IOException) when (Directory.Exists(FolderOf(id)))
        {
            TemplateStore.DeleteTree(buildingFolder);
        }
        return Get(id) ?? throw new IOException($"layer {id} vanished right after publishing");
    }

    /// <summary>Records with a layer being built how many bytes its trimming kept out of the image (published with it).</summary>
    public static void RecordTrimmed(string buildingFolder, long bytes) =>
        File.WriteAllText(Path.Combine(buildingFolder, "trimmed"), bytes.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>What the cached layer's trimming kept out of the image, when it recorded that.</summary>
    public long? TrimmedOf(string id)
    {
        try
        {
            return long.TryParse(File.ReadAllText(Path.Combine(FolderOf(id), "trimmed")), System.Globalization.CultureInfo.InvariantCulture, out var bytes)
                ? bytes
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Records with a finish being built what is in the image: packages and tree digest (published with it).</summary>
    public static void RecordContents(string buildingFolder, Reproducibility.ImageContents contents)
    {
        var json = new System.Text.Json.Nodes.JsonObject();
        contents.AddTo(json);
        File.WriteAllText(Path.Combine(buildingFolder, "contents.json"), json.ToJsonString());
    }

    /// <summary>What is in the image the cached finish made, when it recorded that.</summary>
    public Reproducibility.ImageContents? ContentsOf(string id)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(FolderOf(id), "contents.json"))) is System.Text.Json.Nodes.JsonObject json
                ? Reproducibility.ImageContents.From(json)
                : null;
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Holds the layer in use (pruning skips it) and marks it used now. Dispose releases it.</summary>
    public IDisposable Use(string id)
    {
        var folder = FolderOf(id);
        File.SetLastWriteTimeUtc(Path.Combine(folder, "last-used"), time.GetUtcNow().UtcDateTime);
        return new FileStream(Path.Combine(folder, "in-use"), FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite);
    }

    /// <summary>Held while a layer is built, so two processes (or two recipes of one) never build the same one at once.</summary>
    public Task<IDisposable> LockAsync(string id, IBuildEvents events, CancellationToken cancellationToken) =>
        StoreLock.AcquireAsync(LockFile(id), $"layer {id[..12]}", events, cancellationToken);

    /// <summary>Every published layer, least recently used first.</summary>
    public IReadOnlyList<CachedLayer> List() =>
        Directory.Exists(root)
            ? Directory.EnumerateDirectories(root).Select(Path.GetFileName).Where(n => n is not null && !n.StartsWith('.'))
                .Select(n => Get(n!)).OfType<CachedLayer>().OrderBy(l => l.LastUsed).ToList()
            : [];

    /// <summary>Whether a build holds the layer now.</summary>
    public bool InUse(string id)
    {
        using var probe = TryHoldExclusively(id);
        return probe is null && Directory.Exists(FolderOf(id));
    }

    /// <summary>Removes a layer unless a build holds it; false when in use.</summary>
    public bool TryRemove(string id)
    {
        var folder = FolderOf(id);
        if (!Directory.Exists(folder)) return true;
        using var held = TryHoldExclusively(id);
        if (held is null) return !Directory.Exists(folder);
        TemplateStore.DeleteTree(folder);
        return true;
    }

    /// <summary>Removes folders of builds that died before publishing (their layer lock is free) and discarded layers.</summary>
    public IReadOnlyList<string> RemoveAbandoned()
    {
        if (!Directory.Exists(root)) return [];
        var removed = new List<string>();
        foreach (var folder in Directory.EnumerateDirectories(root, ".building-*").Concat(Directory.EnumerateDirectories(root, ".discarded-*")))
        {
            var name = Path.GetFileName(folder);
            var id = name.StartsWith(".building-", StringComparison.Ordinal) ? name[".building-".Length..^9] : null;
            using var held = id is null ? null : StoreLock.TryAcquire(LockFile(id));
            if (id is not null && held is null) continue;
            TemplateStore.DeleteTree(folder);
            removed.Add(folder);
        }
        return removed;
    }

    /// <summary>Folders of builds that died before publishing, without removing them: for `builder doctor`.</summary>
    public IReadOnlyList<string> FindAbandoned()
    {
        if (!Directory.Exists(root)) return [];
        return Directory.EnumerateDirectories(root, ".building-*").Where(folder =>
        {
            using var held = StoreLock.TryAcquire(LockFile(Path.GetFileName(folder)[".building-".Length..^9]));
            return held is not null;
        }).Concat(Directory.EnumerateDirectories(root, ".discarded-*")).ToList();
    }

    /// <summary>What is wrong with the overlay's bytes: a sha256 other than the recorded one, or a failing qemu-img check.</summary>
    private async Task<string?> VerifyAsync(CachedLayer layer, CancellationToken cancellationToken)
    {
        if (await ImageSha256.OfAsync(layer.Path, cancellationToken) != layer.Sha256) return "its overlay's sha256 differs from the one recorded";
        return await images.CheckAsync(layer.Path, cancellationToken) is { } check ? "qemu-img check fails: " + check : null;
    }

    /// <summary>
    /// Whether the overlay is the very file that was last verified (sha256 and qemu-img check): same
    /// size, modification and birth times. A write to it, a truncation or a replacement changes one
    /// of them, and then it is verified again. Both checks depend only on the file's bytes, so an
    /// unchanged file passes them again.
    /// </summary>
    private static bool VerifiedUnchanged(CachedLayer layer)
    {
        var stamp = Path.Combine(Path.GetDirectoryName(layer.Path)!, "verified");
        try
        {
            return File.Exists(stamp) && File.ReadAllText(stamp) == Identity(layer.Path);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static void RecordVerified(CachedLayer layer)
    {
        var stamp = Path.Combine(Path.GetDirectoryName(layer.Path)!, "verified");
        try
        {
            var identity = Identity(layer.Path);
            if (!File.Exists(stamp) || File.ReadAllText(stamp) != identity) File.WriteAllText(stamp, identity);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only an optimisation: the next use hashes the file again.
        }
    }

    private static string Identity(string path)
    {
        var file = new FileInfo(path);
        return $"{file.Length} {file.LastWriteTimeUtc.Ticks} {file.CreationTimeUtc.Ticks}";
    }

    /// <summary>Bytes on disk of a layer's folder.</summary>
    public static long SizeOf(CachedLayer layer) =>
        Directory.EnumerateFiles(Path.GetDirectoryName(layer.Path)!).Sum(f => new FileInfo(f).Length);

    private FileStream? TryHoldExclusively(string id)
    {
        try
        {
            return new FileStream(Path.Combine(FolderOf(id), "in-use"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private string LockFile(string id)
    {
        Directory.CreateDirectory(locks);
        return Path.Combine(locks, $"layer-{backend}-{id}.lock");
    }

    /// <summary>Moves the layer aside and deletes it, with every layer built on it (they are only valid on it).</summary>
    private void Discard(string id)
    {
        foreach (var child in List().Where(l => l.Parent == id || l.Backing == id)) Discard(child.Id);
        var folder = FolderOf(id);
        var aside = Path.Combine(root, $".discarded-{id[..16]}-{Guid.NewGuid().ToString("N")[..8]}");
        try
        {
            Directory.Move(folder, aside);
            TemplateStore.DeleteTree(aside);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The layer's record, without checking its overlay; null when it is not published.</summary>
    public CachedLayer? Get(string id)
    {
        var folder = FolderOf(id);
        var recordFile = Path.Combine(folder, "layer.json");
        if (!File.Exists(recordFile)) return null;
        try
        {
            var record = JsonSerializer.Deserialize(File.ReadAllText(recordFile), RecordJson.Default.LayerRecord)!;
            var lastUsed = File.GetLastWriteTimeUtc(Path.Combine(folder, "last-used"));
            return new CachedLayer(id, backend, record.Parent, Path.Combine(folder, "layer.qcow2"), record.Sha256, record.Size, record.Created,
                new DateTimeOffset(lastUsed, TimeSpan.Zero), record.Backing, record.BackingSha256);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }
    }

    private static void Flush(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
        stream.Flush(flushToDisk: true);
    }


    private sealed record LayerRecord(string Id, string Parent, string Sha256, long Size, DateTimeOffset Created, string? Backing = null, string? BackingSha256 = null);

    /// <summary>layer.json, generated at compile time: no reflection when a build checks its layers.</summary>
    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.KebabCaseLower, WriteIndented = true)]
    [JsonSerializable(typeof(LayerRecord))]
    private sealed partial class RecordJson : JsonSerializerContext;
}
