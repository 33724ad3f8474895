namespace Builder.Reproducibility;

/// <summary>Parsers of the package databases an image holds as text: dpkg's status file and apk's installed file.</summary>
public static class PackageDatabases
{
    public const string DpkgStatus = "/var/lib/dpkg/status";
    public const string ApkInstalled = "/lib/apk/db/installed";

    /// <summary>/var/lib/dpkg/status: every paragraph whose Status ends in "installed" (not one removed with its config files kept).</summary>
    public static IEnumerable<InstalledPackage> ParseDpkgStatus(string text)
    {
        foreach (var fields in Paragraphs(text, ':'))
        {
            if (!fields.TryGetValue("Package", out var name) || !fields.TryGetValue("Status", out var status)) continue;
            if (!status.EndsWith(" installed", StringComparison.Ordinal)) continue;
            yield return new InstalledPackage(name, fields.GetValueOrDefault("Version", ""), fields.GetValueOrDefault("Architecture", ""));
        }
    }

    /// <summary>/lib/apk/db/installed: paragraphs of one-letter fields, P: the name, V: the version, A: the architecture.</summary>
    public static IEnumerable<InstalledPackage> ParseApkInstalled(string text)
    {
        foreach (var fields in Paragraphs(text, ':', oneLetterKeys: true))
            if (fields.TryGetValue("P", out var name))
                yield return new InstalledPackage(name, fields.GetValueOrDefault("V", ""), fields.GetValueOrDefault("A", ""));
    }

    /// <summary>The lines `rpm -qa --qf <see cref="RpmQueryFormat"/>` prints: name, [epoch:]version-release and architecture, tab-separated.</summary>
    public static IEnumerable<InstalledPackage> ParseRpmQuery(IEnumerable<string> lines) =>
        lines.Select(l => l.Split('\t')).Where(f => f.Length == 3 && f[0].Length > 0).Select(f => new InstalledPackage(f[0], f[1], f[2]));

    /// <summary>rpm's query format for <see cref="ParseRpmQuery"/>; the epoch is shown only when there is one.</summary>
    public const string RpmQueryFormat = @"%{NAME}\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\t%{ARCH}\n";

    /// <summary>Blank-line separated paragraphs of "Key: value" lines; a line starting with a space continues the previous value (and is dropped).</summary>
    private static IEnumerable<Dictionary<string, string>> Paragraphs(string text, char separator, bool oneLetterKeys = false)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                if (fields.Count > 0) yield return fields;
                fields = new Dictionary<string, string>(StringComparer.Ordinal);
                continue;
            }
            if (line[0] is ' ' or '\t') continue;
            var at = oneLetterKeys ? (line.Length > 1 && line[1] == separator ? 1 : -1) : line.IndexOf(separator);
            if (at <= 0) continue;
            fields.TryAdd(line[..at], line[(at + 1)..].Trim());
        }
        if (fields.Count > 0) yield return fields;
    }
}
