using System.Text;
using Builder.Execution;
using Builder.Templates.Repositories.Downloads;
using Builder.Templates.Repositories.Index;

namespace Builder.Templates.Repositories.Sources;

/// <summary>
/// Fetches a source's index, checks its signature and parses it. With signature checking on (the
/// default), only a clearsigned index verified by gpgv against the source's configured key is
/// accepted, and only the text the signature covers is parsed. With it off, the index is used as
/// it is, and a notice says so.
/// </summary>
public sealed class IndexReader(TemplateDownloader downloader)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public async Task<IReadOnlyList<IndexEntry>> ReadAsync(RepositorySource source, RepositoryOptions options, IBuildEvents events, CancellationToken cancellationToken)
    {
        var display = source.Display;
        var content = await downloader.ReadAsync(source.IndexUri, source.Proxy, cancellationToken);
        var clearSigned = ClearSigned.IsClearSigned(content);

        byte[] verified;
        if (options.CheckSignature)
        {
            if (!clearSigned) throw RepositoryException.Unsigned(display);
            if (source.GpgKey is null) throw RepositoryException.NoKey(source.Id, display);
            verified = await IndexSignature.VerifyAsync(content, source.GpgKey, display, cancellationToken);
        }
        else
        {
            events.Emit(new Notice($"signatures are not checked (--no-check-signature): the index {display} is used unverified"));
            verified = content;
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(verified);
        }
        catch (DecoderFallbackException)
        {
            throw RepositoryException.NotUtf8(display);
        }
        if (!options.CheckSignature && clearSigned) text = ClearSigned.ExtractUnverified(text);

        var parsed = IndexParser.Parse(text, new IndexOrigin(display, source.IndexUri, source.Id, Signed: options.CheckSignature));
        if (parsed.HasErrors) throw RepositoryException.InvalidIndex(display, parsed.Diagnostics, text);
        foreach (var warning in parsed.Diagnostics) events.Emit(new Notice($"{warning.Span}: {warning.Message}"));
        return parsed.Entries;
    }
}
