using System.Globalization;
using System.Text;
using Builder.Execution;
using Builder.Processes;
using Builder.Recipes;
using Builder.Templates.Repositories.Downloads;
using Builder.Templates.Repositories.Index;
using Builder.Templates.Store;

namespace Builder.Templates.Repositories.Publishing;

/// <param name="Index">DIR/index.</param>
/// <param name="SignedIndex">DIR/index.asc, when a signing key was given.</param>
public sealed record PublishedRepository(string Index, string? SignedIndex, IReadOnlyList<IndexEntry> Entries);

/// <summary>
/// Publishes a store's templates as a virt-builder repository that any static HTTP server can
/// serve: DIR/NAME.FORMAT.xz for each template, DIR/index, and, with a signing key, DIR/index.asc
/// clearsigned by gpg (GNUPGHOME from the environment). A template keeps its revision= while its
/// compressed file is unchanged and gets the next one when it changed. Files are written under
/// temporary names and renamed into place, the index last.
/// </summary>
public sealed class RepositoryPublisher(ITemplateStore store, TimeProvider time)
{
    public async Task<PublishedRepository> PublishAsync(string folder, string? signingKey, IBuildEvents events, CancellationToken cancellationToken)
    {
        try
        {
            return await WriteAsync(folder, signingKey, events, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw RepositoryException.LocalFailure($"publishing to {folder}", e);
        }
    }

    private async Task<PublishedRepository> WriteAsync(string folder, string? signingKey, IBuildEvents events, CancellationToken cancellationToken)
    {
        var templates = store.List();
        if (templates.Count == 0) throw RepositoryException.NothingToPublish(store.Root);
        folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(folder);
        var indexPath = Path.Combine(folder, "index");
        var indexUri = new Uri(indexPath);
        var previous = Previous(indexPath, indexUri);

        var entries = new List<IndexEntry>();
        var signedPath = Path.Combine(folder, "index.asc");
        var pendingIndex = Pending(indexPath);
        var pendingSigned = Pending(signedPath);
        var files = new List<(string Pending, string Target)>();
        try
        {
            foreach (var template in templates)
            {
                var file = $"{template.Name}.{template.Format}.xz";
                var pending = Pending(Path.Combine(folder, file));
                files.Add((pending, Path.Combine(folder, file)));
                var started = time.GetTimestamp();
                events.Emit(new PhaseStarted("compress", $"Compressing {template.Name} ({ByteSize.Format(new FileInfo(template.ImagePath).Length)}) to {file}"));
                var (code, error) = await StreamingProcess.RunToFileAsync("xz",
                    ["--compress", "--stdout", "--threads=0", "--", template.ImagePath], pending, cancellationToken);
                if (code != 0) throw RepositoryException.ToolFailed("xz", $"to compress {template.Name}", error);
                var sha512 = await Sha512.OfFileAsync(pending, cancellationToken);
                entries.Add(Entry(template, file, sha512, new FileInfo(pending).Length, previous, indexUri, folder, signingKey is not null));
                events.Emit(new PhaseCompleted("compress", time.GetElapsedTime(started)));
            }
            await File.WriteAllTextAsync(pendingIndex, IndexWriter.Write(entries), new UTF8Encoding(false), cancellationToken);
            if (signingKey is not null) await SignAsync(pendingIndex, pendingSigned, signingKey, events, cancellationToken);

            // Only now, with everything ready, does the repository change: the files first, the indexes last.
            foreach (var (pending, target) in files) File.Move(pending, target, overwrite: true);
            File.Move(pendingIndex, indexPath, overwrite: true);
            if (signingKey is not null) File.Move(pendingSigned, signedPath, overwrite: true);
            else if (File.Exists(signedPath))
            {
                File.Delete(signedPath);
                events.Emit(new Notice($"removed {signedPath}: it signed an earlier index (pass --sign KEY to sign this one)"));
            }
        }
        finally
        {
            foreach (var pending in files.Select(f => f.Pending).Append(pendingIndex).Append(pendingSigned)) File.Delete(pending);
        }
        return new PublishedRepository(indexPath, signingKey is null ? null : signedPath, entries);
    }

    private async Task SignAsync(string index, string output, string key, IBuildEvents events, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        events.Emit(new PhaseStarted("sign", $"Signing the index with {key}"));
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync("gpg", ["--batch", "--yes", "--local-user", key, "--clearsign",
                "--output", output, "--", index], cancellationToken);
        }
        catch (ProgramNotFoundException e)
        {
            throw RepositoryException.ToolFailed("gpg", "to start", e.Message);
        }
        if (result.ExitCode != 0) throw RepositoryException.ToolFailed("gpg", $"to sign the index with {key}", result.StandardError.Trim());
        events.Emit(new PhaseCompleted("sign", time.GetElapsedTime(started)));
    }

    private static IndexEntry Entry(StoredTemplate template, string file, string sha512, long compressedSize,
        Dictionary<(string, string), IndexEntry> previous, Uri indexUri, string folder, bool signed)
    {
        var metadata = template.Metadata;
        var arch = string.IsNullOrWhiteSpace(metadata.Architecture) ? OsInfoMetadata.Unknown : metadata.Architecture;
        var revision = !previous.TryGetValue((template.Name, arch), out var old) ? "1"
            : old.Sha512 == sha512 ? old.Revision ?? "1"
            : (long.Parse(old.Revision ?? "1", CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
        return new IndexEntry(template.Name, arch, metadata.Description, OsInfoMetadata.OsInfoOf(metadata), file,
            sha512, template.Format, template.VirtualSize, compressedSize,
            metadata.Expand ?? (metadata.RootDevice == OsInfoMetadata.Unknown ? null : metadata.RootDevice),
            Notes: null, Hidden: false, Aliases: [], revision, indexUri, folder, signed, metadata.LvExpand);
    }

    /// <summary>The entries of an index published here before, by (name, arch), to carry revisions on.</summary>
    private static Dictionary<(string, string), IndexEntry> Previous(string indexPath, Uri indexUri)
    {
        if (!File.Exists(indexPath)) return [];
        var parsed = IndexParser.Parse(File.ReadAllText(indexPath, Encoding.UTF8), new IndexOrigin(indexPath, indexUri, "previous", false));
        return parsed.Entries.ToDictionary(e => (e.OsVersion, e.Arch));
    }

    private static string Pending(string target) =>
        Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.partial");
}
