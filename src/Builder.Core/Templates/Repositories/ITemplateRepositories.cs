using Builder.Execution;
using Builder.Templates.Store;

namespace Builder.Templates.Repositories;

/// <summary>
/// virt-builder-compatible template repositories: the sources configured in repos.d (.conf files
/// with [id], uri=, gpgkey=) plus any --source URIs. Indexes are verified with gpgv, templates by sha512.
/// </summary>
public interface ITemplateRepositories
{
    /// <summary>Every entry of every source's index, in source order.</summary>
    Task<IReadOnlyList<IndexEntry>> ListAsync(RepositoryOptions options, IBuildEvents events, CancellationToken cancellationToken);

    /// <summary>
    /// Downloads (resuming, with bounded retries), verifies and decompresses the entry's template and
    /// publishes it to the store under its os-version, holding the store's lock for that name. A
    /// template already stored from the same entry (same checksum) is reused without downloading.
    /// </summary>
    Task<StoredTemplate> PullAsync(IndexEntry entry, RepositoryOptions options, IBuildEvents events, CancellationToken cancellationToken);
}

/// <param name="Sources">Index URIs given with --source, used besides the configured repositories.</param>
/// <param name="CheckSignature">false only when the user said --no-check-signature.</param>
/// <param name="CheckChecksum">false only when the user said --no-check-checksum.</param>
public sealed record RepositoryOptions(IReadOnlyList<string> Sources, bool CheckSignature = true, bool CheckChecksum = true)
{
    public static RepositoryOptions Default { get; } = new([]);
}
