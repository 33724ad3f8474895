namespace Builder.Templates.Store;

/// <summary>A template in the store: read-only, addressed by the sha256 of its image.</summary>
/// <param name="Name">The name it was stored under ("debian-12").</param>
/// <param name="Digest">"sha256:&lt;hex&gt;" of the image file.</param>
/// <param name="Format">qemu's name of the image format: "qcow2" or "raw".</param>
/// <param name="SourceKey">What it was made from: the definition's digest, or the index entry's checksum. A changed source means a new template.</param>
/// <param name="Source">Human-readable origin: "templates/debian-12.yaml", "https://example.org/index.asc#debian-12".</param>
/// <param name="TextKey">For a template built from a definition, the key of the definition file's text (null when unknown): while the file is unchanged, a build needs not parse it.</param>
public sealed record StoredTemplate(
    string Name,
    string Digest,
    string ImagePath,
    string Format,
    long VirtualSize,
    TemplateMetadata Metadata,
    string SourceKey,
    string Source,
    DateTimeOffset Created,
    string? TextKey);
