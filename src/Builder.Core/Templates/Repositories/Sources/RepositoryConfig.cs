using Builder.Diagnostics;
using Builder.Templates.Repositories.Index;

namespace Builder.Templates.Repositories.Sources;

/// <summary>One [id] of a repos.d .conf file.</summary>
/// <param name="Uri">The index: file://, http:// or https://, usually ending in index.asc.</param>
/// <param name="GpgKey">The local file holding the key that signs the index (armored or binary), or null.</param>
/// <param name="Proxy">null or "system": the environment's proxy; "no": none; else a proxy URL.</param>
public sealed record RepositoryDefinition(string Id, Uri Uri, string? GpgKey, string? Proxy, string DefinedIn);

public sealed record RepositoryConfigResult(IReadOnlyList<RepositoryDefinition> Repositories, IReadOnlyList<Diagnostic> Diagnostics);

/// <summary>
/// virt-builder's repos.d format:
/// <code>
/// [libguestfs.org]
/// uri=https://builder.libguestfs.org/index.asc
/// gpgkey=file:///etc/builder/repos.d/libguestfs.gpg
/// proxy=system
/// format=native
/// </code>
/// uri= is required; gpgkey= must be a file:// URI (or an absolute path); format= may only be native (simplestreams is not
/// supported). Unknown keys are ignored, as virt-builder does.
/// </summary>
public static class RepositoryConfig
{
    public static RepositoryConfigResult Load(RepositoryConfigFolders folders)
    {
        var byId = new Dictionary<string, RepositoryDefinition>(StringComparer.Ordinal);
        var order = new List<string>();
        var diagnostics = new List<Diagnostic>();
        foreach (var file in folders.ConfigFiles())
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                diagnostics.Add(new Diagnostic(DiagnosticCodes.RepositoryConfiguration, Severity.Error,
                    $"cannot read {file}: {e.Message}", SourceSpan.StartOf(file), "(file)"));
                continue;
            }
            var parsed = Parse(text, file);
            diagnostics.AddRange(parsed.Diagnostics);
            foreach (var repository in parsed.Repositories)
            {
                if (!byId.ContainsKey(repository.Id)) order.Add(repository.Id);
                byId[repository.Id] = repository;
            }
        }
        return new RepositoryConfigResult(order.Select(id => byId[id]).ToList(), diagnostics);
    }

    public static RepositoryConfigResult Parse(string text, string file)
    {
        var errors = new DiagnosticBag();
        var repositories = new List<RepositoryDefinition>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in IndexLexer.Read(text, file, errors))
        {
            var fields = new Dictionary<string, IniField>(StringComparer.Ordinal);
            var ok = true;

            void Error(IniField? field, string message, string? hint = null)
            {
                var span = field is null
                    ? new SourceSpan(file, section.Line, 1, section.Name.Length + 2)
                    : new SourceSpan(file, field.Line, field.ValueColumn, Math.Max(1, field.Value.Length));
                errors.Error(DiagnosticCodes.RepositoryConfiguration, message, span, IndexLexer.Where(section.Name, field?.FullKey), hint);
                ok = false;
            }

            foreach (var field in section.Fields)
            {
                if (fields.TryAdd(field.FullKey, field)) continue;
                errors.Error(DiagnosticCodes.IndexRepeatedField, $"field '{field.FullKey}' appears twice in [{section.Name}]",
                    new SourceSpan(file, field.Line, 1, field.FullKey.Length), IndexLexer.Where(section.Name, field.FullKey));
                ok = false;
            }
            if (!ids.Add(section.Name)) Error(null, $"repository [{section.Name}] is defined twice in this file");

            Uri? uri = null;
            if (!fields.TryGetValue("uri", out var uriField)) Error(null, $"[{section.Name}] has no uri=", "uri= names the repository's index, e.g. https://example.org/builder/index.asc");
            else if (!RepositorySources.TryParseUri(uriField.Value, out uri)) Error(uriField, $"uri={uriField.Value} is not a file://, http:// or https:// URI");

            string? key = null;
            if (fields.TryGetValue("gpgkey", out var keyField))
            {
                if (Uri.TryCreate(keyField.Value, UriKind.Absolute, out var keyUri) && keyUri.IsFile && Path.IsPathRooted(keyUri.LocalPath))
                    key = keyUri.LocalPath;
                else Error(keyField, $"gpgkey={keyField.Value} is not a file:// URI", "give the key's local path as file:///path/to/key.asc");
            }

            string? proxy = null;
            if (fields.TryGetValue("proxy", out var proxyField))
            {
                proxy = proxyField.Value;
                if (proxy is not ("no" or "off" or "system")
                    && !(Uri.TryCreate(proxy, UriKind.Absolute, out var proxyUri) && proxyUri.Scheme is "http" or "https" or "socks5"))
                    Error(proxyField, $"proxy={proxy} is not no, system or a proxy URL");
            }

            if (fields.TryGetValue("format", out var formatField) && formatField.Value != "native")
                Error(formatField, $"format={formatField.Value} is not supported", "only format=native (a virt-builder index) is supported");

            if (ok && uri is not null) repositories.Add(new RepositoryDefinition(section.Name, uri, key, proxy, file));
        }
        return new RepositoryConfigResult(repositories, errors.Sorted());
    }
}
