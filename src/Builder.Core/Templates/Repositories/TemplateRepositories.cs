using Builder.Execution;
using Builder.Images;
using Builder.Recipes;
using Builder.Templates.Repositories.Downloads;
using Builder.Templates.Repositories.Index;
using Builder.Templates.Repositories.Sources;
using Builder.Templates.Store;

namespace Builder.Templates.Repositories;

/// <summary>
/// <see cref="ITemplateRepositories"/> over repos.d and --source indexes. A pull holds the store's
/// lock for the name, reuses a template stored from the same entry, and otherwise downloads,
/// verifies (sha512 of the downloaded file), decompresses and checks the image before publishing
/// it. Nothing enters the store unless every check passed or was switched off by the user; the
/// scratch folder is always removed.
/// </summary>
public sealed class TemplateRepositories(
    ITemplateStore store,
    IDiskImages images,
    IndexReader indexes,
    TemplateDownloader downloader,
    RepositoryConfigFolders folders,
    TimeProvider time) : ITemplateRepositories
{
    public async Task<IReadOnlyList<IndexEntry>> ListAsync(RepositoryOptions options, IBuildEvents events, CancellationToken cancellationToken)
    {
        var entries = new List<IndexEntry>();
        foreach (var source in RepositorySources.Resolve(folders, options))
            entries.AddRange(await indexes.ReadAsync(source, options, events, cancellationToken));
        return entries;
    }

    public async Task<StoredTemplate> PullAsync(IndexEntry entry, RepositoryOptions options, IBuildEvents events, CancellationToken cancellationToken)
    {
        var name = entry.OsVersion;
        var indexDisplay = Uris.Display(entry.IndexUri);
        if (!TemplateNames.IsValid(name)) throw RepositoryException.BadTemplateName(name);
        if (options.CheckSignature && !entry.Signed) throw RepositoryException.UnverifiedEntry(name, indexDisplay);
        if (options.CheckChecksum && entry.Sha512 is null) throw RepositoryException.NoChecksum(name, indexDisplay);
        if (entry.Format.Length == 0 || !entry.Format.All(char.IsAsciiLetterOrDigit))
            throw RepositoryException.FormatMismatch(name, entry.Format, "unknown");
        if (TemplateFiles.Problem(entry.File) is { } problem)
            throw RepositoryException.UnsafeFile(name, entry.File, problem);

        var sourceKey = SourceKeyOf(entry);
        var uri = TemplateFiles.Resolve(entry.IndexUri, entry.File);
        var display = Uris.Display(uri);
        using var held = await store.LockAsync(name, events, cancellationToken);
        var existing = store.Find(name);
        if (existing is not null && existing.SourceKey == sourceKey)
        {
            events.Emit(new Notice($"{name} ({entry.Arch}) is already in the store from this index entry; not downloading it again"));
            return existing;
        }
        if (existing is not null)
            events.Emit(new Notice($"the store's {name} came from {existing.Source}; it is replaced once the new one is verified"));

        var scratch = store.CreateScratchFolder();
        try
        {
            var compression = TemplateFiles.CompressionOf(entry.File);
            var downloaded = Path.Combine(scratch, compression switch { Compression.Xz => "download.xz", Compression.Gzip => "download.gz", _ => "download" });
            var size = entry.CompressedSize is { } bytes ? $" ({ByteSize.Format(bytes)})" : "";
            await events.PhaseAsync(time, "download", $"Downloading {name} ({entry.Arch}){size} from {display}",
                () => downloader.DownloadAsync(uri, ProxyOf(entry, options), downloaded, events, cancellationToken));

            await events.PhaseAsync(time, "verify", $"Verifying the sha512 of {name}", async () =>
            {
                if (!options.CheckChecksum)
                {
                    events.Emit(new Notice($"checksums are not checked (--no-check-checksum): {display} is used unverified"));
                    return;
                }
                var actual = await Sha512.OfFileAsync(downloaded, cancellationToken);
                if (actual != entry.Sha512) throw RepositoryException.ChecksumMismatch(display, entry.Sha512!, actual);
            });

            var image = Path.Combine(scratch, "image." + entry.Format);
            if (compression != Compression.None)
                image = await events.PhaseAsync(time, "decompress", $"Decompressing {name}",
                    () => Decompressor.DecompressAsync(downloaded, compression, image, cancellationToken));
            else image = downloaded;

            // What qemu would take the file for must be what the index says it is, and standalone.
            DiskInfo info;
            try
            {
                info = await images.InfoAsync(image, cancellationToken);
            }
            catch (Exception e) when (e is DiskImageException or Processes.ProgramNotFoundException)
            {
                throw RepositoryException.ToolFailed("qemu-img", $"to read the template {name}", e.Message);
            }
            if (!string.Equals(info.Format, entry.Format, StringComparison.OrdinalIgnoreCase))
                throw RepositoryException.FormatMismatch(name, entry.Format, info.Format);
            await StandaloneImage.CheckAsync(image, entry.Format, name, cancellationToken);

            return await events.PhaseAsync(time, "publish", $"Storing {name} in the template store", () =>
                store.PublishAsync(name, image, entry.Format, OsInfoMetadata.From(entry), sourceKey,
                    $"{indexDisplay}#{name}", null, cancellationToken));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw RepositoryException.LocalFailure($"storing {name}", e);
        }
        finally
        {
            try { Directory.Delete(scratch, recursive: true); }
            catch (IOException) { }
        }
    }

    /// <summary>What the template is made from, for reuse: the file's sha512, else its URI and the entry's revision.</summary>
    public static string SourceKeyOf(IndexEntry entry) =>
        entry.Sha512 is { } sha512
            ? "index:" + sha512
            : $"index:{Uris.Display(TemplateFiles.Resolve(entry.IndexUri, entry.File))}#revision={entry.Revision ?? "1"}";

    private string? ProxyOf(IndexEntry entry, RepositoryOptions options)
    {
        try
        {
            return RepositorySources.Resolve(folders, options).FirstOrDefault(s => s.Id == entry.Repository && s.IndexUri == entry.IndexUri)?.Proxy;
        }
        catch (RepositoryException)
        {
            return null;
        }
    }
}
