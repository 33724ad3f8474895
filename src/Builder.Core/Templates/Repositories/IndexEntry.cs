namespace Builder.Templates.Repositories;

/// <summary>One [os-version] section of a virt-builder index.</summary>
/// <param name="OsVersion">The section name: "debian-12". With <paramref name="Arch"/> it identifies the entry.</param>
/// <param name="File">Relative to the index's URI (same origin).</param>
/// <param name="Sha512">checksum[sha512]= (or checksum=), lower-case hex; null when the index gives none.</param>
/// <param name="Format">format=, "raw" when absent.</param>
/// <param name="Size">size=: the virtual size in bytes.</param>
/// <param name="IndexUri">Where the index was read from; <paramref name="File"/> resolves against it.</param>
/// <param name="Repository">The [id] of the repos.d entry, or the URI of a --source.</param>
/// <param name="Signed">Whether the index was verified with gpgv.</param>
/// <param name="LvExpand">lvexpand=: the LVM logical volume that grows with the <paramref name="Expand"/> partition.</param>
public sealed record IndexEntry(
    string OsVersion,
    string Arch,
    string? Name,
    string? OsInfo,
    string File,
    string? Sha512,
    string Format,
    long Size,
    long? CompressedSize,
    string? Expand,
    string? Notes,
    bool Hidden,
    IReadOnlyList<string> Aliases,
    string? Revision,
    Uri IndexUri,
    string Repository,
    bool Signed,
    string? LvExpand = null);
