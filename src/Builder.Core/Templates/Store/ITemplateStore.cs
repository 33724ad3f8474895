using Builder.Execution;

namespace Builder.Templates.Store;

/// <summary>
/// The shared, content-addressed template store (default ~/.cache/builder; BUILDER_STORE or
/// --store override it). Templates in it are read-only and published atomically; a per-name lock
/// keeps two processes from building or pulling the same template at once.
/// </summary>
public interface ITemplateStore
{
    /// <summary>The store's folder.</summary>
    string Root { get; }

    /// <summary>The template stored under a name, or null.</summary>
    StoredTemplate? Find(string name);

    /// <summary>Every named template, by name.</summary>
    IReadOnlyList<StoredTemplate> List();

    /// <summary>
    /// Takes ownership of <paramref name="image"/> (a file in a folder from <see cref="CreateScratchFolder"/>),
    /// hashes it, moves it into the store read-only under its digest and points the name at it.
    /// An identical image already stored is reused.
    /// </summary>
    /// <param name="textKey">For a template built from a definition, <see cref="Definitions.TemplateDefinitionLoader.TextKey"/> of its file.</param>
    Task<StoredTemplate> PublishAsync(string name, string image, string format, TemplateMetadata metadata,
        string sourceKey, string source, string? textKey, CancellationToken cancellationToken);

    /// <summary>
    /// Records, for a template found current by its parsed definition, the key of the definition
    /// file's text, so that later builds need not parse it. Nothing is written when the name no
    /// longer points at <paramref name="stored"/>.
    /// </summary>
    void RecordTextKey(StoredTemplate stored, string textKey);

    /// <summary>
    /// Waits for the per-name lock (telling the user, once, that it waits); holding it, a process
    /// may check whether the template is there and build or pull it if not. Dispose releases it.
    /// The lock dies with its process, so a killed build never blocks the next.
    /// </summary>
    Task<IDisposable> LockAsync(string name, IBuildEvents events, CancellationToken cancellationToken);

    /// <summary>
    /// A new private folder inside the store (same filesystem, so publishing is a rename). The caller
    /// deletes it; one a killed process left is removed later (<see cref="ScratchFolders"/>).
    /// </summary>
    string CreateScratchFolder();
}
