using System.Text.Json;
using System.Text.Json.Serialization;
using Builder.Execution;
using Builder.Images;
using Builder.Storage;

namespace Builder.Templates.Store;

/// <summary>
/// The template store on disk:
/// <code>
/// templates/&lt;sha256&gt;/image.qcow2   read-only image, named by its digest
/// templates/&lt;sha256&gt;/template.json  what it is (metadata, format, size, source)
/// refs/&lt;name&gt;.json                  which digest a name points at
/// locks/&lt;name&gt;.lock                 flock'd while a process builds or pulls the name
/// tmp/                              scratch folders, same filesystem as templates/
/// </code>
/// </summary>
public sealed partial class TemplateStore(IDiskImages images, StoreLocation location) : ITemplateStore
{

    public string Root { get; } = location.Root;

    private string Templates => Path.Combine(Root, "templates");

    private string Refs => Path.Combine(Root, "refs");

    public StoredTemplate? Find(string name)
    {
        var refFile = Path.Combine(Refs, name + ".json");
        if (!File.Exists(refFile)) return null;
        var reference = JsonSerializer.Deserialize(File.ReadAllText(refFile), StoreJson.Default.TemplateRef)!;
        var folder = Path.Combine(Templates, Hex(reference.Digest));
        var info = Path.Combine(folder, "template.json");
        if (!File.Exists(info)) return null;
        var stored = JsonSerializer.Deserialize(File.ReadAllText(info), StoreJson.Default.StoredImage)!;
        var image = Path.Combine(folder, "image." + stored.Format);
        return File.Exists(image)
            ? new StoredTemplate(name, stored.Digest, image, stored.Format, stored.VirtualSize, stored.Metadata,
                reference.SourceKey, reference.Source, reference.Created, reference.TextKey)
            : null;
    }

    public IReadOnlyList<StoredTemplate> List() =>
        Directory.Exists(Refs)
            ? Directory.EnumerateFiles(Refs, "*.json")
                .Select(f => Find(Path.GetFileNameWithoutExtension(f)))
                .OfType<StoredTemplate>()
                .OrderBy(t => t.Name, StringComparer.Ordinal)
                .ToList()
            : [];

    public async Task<StoredTemplate> PublishAsync(string name, string image, string format, TemplateMetadata metadata,
        string sourceKey, string source, string? textKey, CancellationToken cancellationToken)
    {
        TemplateNames.Require(name);
        var digest = await ImageSha256.OfAsync(image, cancellationToken);
        var folder = Path.Combine(Templates, Hex(digest));
        if (!Directory.Exists(folder))
        {
            var info = await images.InfoAsync(image, cancellationToken);
            var staging = Path.Combine(Templates, ".staging-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(staging);
            var stored = new StoredImage(digest, format, info.VirtualSize, metadata);
            File.Move(image, Path.Combine(staging, "image." + format));
            await File.WriteAllTextAsync(Path.Combine(staging, "template.json"), JsonSerializer.Serialize(stored, StoreJson.Default.StoredImage), cancellationToken);
            foreach (var file in Directory.EnumerateFiles(staging)) File.SetUnixFileMode(file, ReadOnly);
            File.SetUnixFileMode(staging, ReadOnly | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            try
            {
                Directory.Move(staging, folder);
            }
            catch (IOException) when (Directory.Exists(folder))
            {
                // Someone published the same bytes first; theirs is as good as ours.
                DeleteTree(staging);
            }
        }
        else
        {
            File.Delete(image);
        }

        WriteRef(name, new TemplateRef(digest, sourceKey, source, DateTimeOffset.UtcNow, textKey));
        return Find(name) ?? throw new IOException($"template {name} vanished from the store right after publishing");
    }

    public void RecordTextKey(StoredTemplate stored, string textKey)
    {
        // Unlocked: a publish of another image under the name in between is the only loss, and
        // then this write is skipped or, at worst, the next build parses the definition again.
        // A store this process cannot write to (a plan on a shared store) only goes without it.
        try
        {
            if (Find(stored.Name) is not { } current || current.Digest != stored.Digest || current.SourceKey != stored.SourceKey) return;
            WriteRef(stored.Name, new TemplateRef(stored.Digest, stored.SourceKey, stored.Source, stored.Created, textKey));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Points a name at a template: written beside, then renamed over the old ref.</summary>
    private void WriteRef(string name, TemplateRef reference)
    {
        Directory.CreateDirectory(Refs);
        var refFile = Path.Combine(Refs, name + ".json");
        var pending = refFile + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(pending, JsonSerializer.Serialize(reference, StoreJson.Default.TemplateRef));
        File.Move(pending, refFile, overwrite: true);
    }

    public Task<IDisposable> LockAsync(string name, IBuildEvents events, CancellationToken cancellationToken)
    {
        TemplateNames.Require(name);
        var folder = Path.Combine(Root, "locks");
        Directory.CreateDirectory(folder);
        return StoreLock.AcquireAsync(Path.Combine(folder, name + ".lock"), $"template {name}", events, cancellationToken);
    }

    public string CreateScratchFolder()
    {
        var folder = ScratchFolders.Create(Root);
        Directory.CreateDirectory(Templates);
        return folder;
    }

    private const UnixFileMode ReadOnly = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static string Hex(string digest) => digest["sha256:".Length..];


    /// <summary>Read-only trees need their folders made writable again before they can be deleted.</summary>
    public static void DeleteTree(string folder)
    {
        if (!Directory.Exists(folder)) return;
        var writable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        foreach (var directory in Directory.EnumerateDirectories(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }).Prepend(folder))
            File.SetUnixFileMode(directory, writable);
        Directory.Delete(folder, recursive: true);
    }

    /// <param name="TextKey">Absent in stores written before it was recorded, and for pulled templates.</param>
    private sealed record TemplateRef(string Digest, string SourceKey, string Source, DateTimeOffset Created, string? TextKey = null);

    private sealed record StoredImage(string Digest, string Format, long VirtualSize, TemplateMetadata Metadata);

    /// <summary>The store's records as JSON, generated at compile time: no reflection when a build starts.</summary>
    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.KebabCaseLower, WriteIndented = true)]
    [JsonSerializable(typeof(TemplateRef))]
    [JsonSerializable(typeof(StoredImage))]
    private sealed partial class StoreJson : JsonSerializerContext;
}
