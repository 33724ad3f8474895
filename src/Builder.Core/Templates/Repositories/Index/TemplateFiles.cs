using System.Text.RegularExpressions;

namespace Builder.Templates.Repositories.Index;

/// <summary>The file= of an index entry: a path relative to the index, resolved against its URI.</summary>
public static partial class TemplateFiles
{
    /// <summary>Why <paramref name="file"/> is not a same-origin relative path, or null when it is.</summary>
    public static string? Problem(string file)
    {
        if (file.Length == 0) return "is empty";
        if (file.Any(char.IsControl) || file.Contains('\n')) return "contains control characters";
        if (Scheme().IsMatch(file)) return "names another location (it has a scheme)";
        if (file.StartsWith('/') || file.StartsWith('\\')) return "is an absolute path";
        if (file.Contains('?') || file.Contains('#')) return "has a query or fragment";
        var decoded = Uri.UnescapeDataString(file);
        if (decoded.Split('/', '\\').Any(segment => segment == "..")) return "leaves the index's folder (a '..' segment)";
        if (decoded.StartsWith('/')) return "is an absolute path";
        return null;
    }

    /// <summary>Where the template file is: <paramref name="file"/> resolved against the index's URI.</summary>
    public static Uri Resolve(Uri index, string file) => new(index, file);

    /// <summary>The compression a template file uses, from its name as virt-builder decides it.</summary>
    public static Compression CompressionOf(string file) =>
        file.EndsWith(".xz", StringComparison.OrdinalIgnoreCase) ? Compression.Xz
        : file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? Compression.Gzip
        : Compression.None;

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial Regex Scheme();
}

public enum Compression { None, Xz, Gzip }
