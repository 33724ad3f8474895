using System.Globalization;
using Builder.Diagnostics;

namespace Builder.Templates.Repositories.Index;

/// <summary>Where an index came from: shown in diagnostics, and copied into every entry.</summary>
/// <param name="Display">The index's URI without credentials, used as the file name in diagnostics.</param>
/// <param name="Repository">The repos.d [id], or the URI of a --source.</param>
public sealed record IndexOrigin(string Display, Uri Uri, string Repository, bool Signed);

/// <summary>The entries of an index, or why it cannot be used. Warnings do not stop it being used.</summary>
public sealed record IndexParseResult(IReadOnlyList<IndexEntry> Entries, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}

/// <summary>
/// The virt-builder index format (virt-builder(1), "CREATING YOUR OWN TEMPLATES"), with
/// virt-builder's rules: a field given twice in a section, or a section without file=, arch= or
/// size=, is an error; unknown fields are ignored for forward compatibility. Additionally, file=
/// must be relative to the index (same origin), and (os-version, arch) must be unique.
/// Every problem is reported at once.
/// </summary>
public static class IndexParser
{
    public static IndexParseResult Parse(string text, IndexOrigin origin)
    {
        var errors = new DiagnosticBag();
        var warnings = new List<Diagnostic>();
        var entries = new List<IndexEntry>();
        var seen = new Dictionary<(string, string), int>();
        foreach (var section in IndexLexer.Read(text, origin.Display, errors))
        {
            var entry = ParseSection(section, origin, errors, warnings);
            if (entry is null) continue;
            if (seen.TryGetValue((entry.OsVersion, entry.Arch), out var first))
            {
                errors.Error(DiagnosticCodes.IndexDuplicateEntry, $"[{section.Name}] for {entry.Arch} appears twice",
                    new SourceSpan(origin.Display, section.Line, 1, section.Name.Length + 2), IndexLexer.Where(section.Name, null),
                    $"the first is at line {first}; an os-version may appear once per arch");
                continue;
            }
            seen[(entry.OsVersion, entry.Arch)] = section.Line;
            entries.Add(entry);
        }
        return new IndexParseResult(entries, [.. errors.Sorted(), .. warnings]);
    }

    private static IndexEntry? ParseSection(IniSection section, IndexOrigin origin, DiagnosticBag errors, List<Diagnostic> warnings)
    {
        var file = origin.Display;
        var fields = new Dictionary<string, IniField>(StringComparer.Ordinal);
        var failed = false;
        foreach (var field in section.Fields)
        {
            if (fields.TryGetValue(field.FullKey, out var earlier))
            {
                errors.Error(DiagnosticCodes.IndexRepeatedField, $"field '{field.FullKey}' appears twice in [{section.Name}]",
                    new SourceSpan(file, field.Line, 1, field.FullKey.Length), IndexLexer.Where(section.Name, field.FullKey),
                    $"the first is at line {earlier.Line}");
                failed = true;
                continue;
            }
            fields[field.FullKey] = field;
            if (field.Key is "sig" or "signature")
                warnings.Add(new Diagnostic(DiagnosticCodes.IndexIgnoredField, Severity.Warning,
                    $"'{field.FullKey}' (a detached signature of the template, from old indexes) is ignored",
                    new SourceSpan(file, field.Line, 1, field.FullKey.Length), IndexLexer.Where(section.Name, field.FullKey),
                    "templates are verified by the checksum in the signed index"));
        }

        string? Text(string key) => fields.TryGetValue(key, out var f) ? f.Value : null;

        string? Required(string key)
        {
            var value = Text(key);
            if (!string.IsNullOrEmpty(value)) return value;
            errors.Error(DiagnosticCodes.IndexMissingField, $"[{section.Name}] has no '{key}' field",
                new SourceSpan(file, section.Line, 1, section.Name.Length + 2), IndexLexer.Where(section.Name, null),
                $"virt-builder requires {key}= in every entry");
            failed = true;
            return null;
        }

        void Invalid(string key, string message, string? hint = null)
        {
            var field = fields[key];
            errors.Error(DiagnosticCodes.IndexInvalidValue, message,
                new SourceSpan(file, field.Line, field.ValueColumn, Math.Max(1, field.Value.Split('\n')[0].Length)),
                IndexLexer.Where(section.Name, key), hint);
            failed = true;
        }

        long? Number(string key)
        {
            var value = Text(key);
            if (value is null) return null;
            if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return number;
            Invalid(key, $"{key}= must be a number of bytes, not '{value}'");
            return null;
        }

        var arch = Required("arch");
        var size = Required("size") is not null ? Number("size") : null;
        var location = Required("file");
        if (location is not null && TemplateFiles.Problem(location) is { } problem)
        {
            var field = fields["file"];
            errors.Error(DiagnosticCodes.IndexFileNotRelative, $"file={location} {problem}",
                new SourceSpan(file, field.Line, field.ValueColumn, Math.Max(1, location.Length)), IndexLexer.Where(section.Name, "file"),
                "give the template's path relative to the index, as in file=debian-12.xz: it is fetched from the same place");
            failed = true;
        }

        var sha512 = Text("checksum[sha512]") ?? Text("checksum");
        var checksumKey = fields.ContainsKey("checksum[sha512]") ? "checksum[sha512]" : "checksum";
        if (sha512 is not null)
        {
            if (sha512.Length == 128 && sha512.All(char.IsAsciiHexDigit)) sha512 = sha512.ToLowerInvariant();
            else Invalid(checksumKey, $"{checksumKey}= is not a sha512 (128 hexadecimal digits)");
        }
        if (fields.ContainsKey("checksum[sha512]") && Text("checksum") is { } plain && !plain.Equals(sha512, StringComparison.OrdinalIgnoreCase))
            Invalid("checksum", "checksum= and checksum[sha512]= differ");

        var compressedSize = Number("compressed_size");
        var hidden = false;
        if (Text("hidden") is { } hiddenText)
        {
            if (hiddenText is "true" or "yes" or "1") hidden = true;
            else if (hiddenText is not ("false" or "no" or "0")) Invalid("hidden", $"hidden= must be true or false, not '{hiddenText}'");
        }
        var revision = Text("revision");
        if (revision is not null && (revision.Length == 0 || !revision.All(char.IsAsciiDigit)))
            Invalid("revision", $"revision= must be a whole number, not '{revision}'");
        var format = Text("format") ?? "raw";
        if (format.Length == 0 || !format.All(char.IsAsciiLetterOrDigit))
            Invalid("format", $"format= must be a qemu image format such as raw or qcow2, not '{format}'");

        if (failed || arch is null || size is null || location is null) return null;
        var aliases = (Text("aliases") ?? "").Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return new IndexEntry(section.Name, arch, Text("name"), Text("osinfo"), location, sha512, format, size.Value,
            compressedSize, Text("expand"), Text("notes"), hidden, aliases, revision, origin.Uri, origin.Repository, origin.Signed,
            Text("lvexpand"));
    }
}
