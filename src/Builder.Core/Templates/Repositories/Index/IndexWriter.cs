using System.Globalization;
using System.Text;

namespace Builder.Templates.Repositories.Index;

/// <summary>
/// Writes entries in the virt-builder index format, as virt-builder's own index fragments are
/// written: one [os-version] section each, a blank line between them, multi-line notes as
/// continuation lines with a lone space for an empty line. <see cref="IndexParser"/> reads it back.
/// </summary>
public static class IndexWriter
{
    public static string Write(IEnumerable<IndexEntry> entries)
    {
        var text = new StringBuilder();
        foreach (var entry in entries)
        {
            if (text.Length > 0) text.Append('\n');
            text.Append('[').Append(entry.OsVersion).Append("]\n");
            Field(text, "name", entry.Name);
            Field(text, "osinfo", entry.OsInfo);
            Field(text, "arch", entry.Arch);
            Field(text, "file", entry.File);
            Field(text, "checksum[sha512]", entry.Sha512);
            Field(text, "format", entry.Format);
            Field(text, "size", entry.Size.ToString(CultureInfo.InvariantCulture));
            Field(text, "compressed_size", entry.CompressedSize?.ToString(CultureInfo.InvariantCulture));
            Field(text, "expand", entry.Expand);
            Field(text, "lvexpand", entry.LvExpand);
            Field(text, "revision", entry.Revision);
            if (entry.Aliases.Count > 0) Field(text, "aliases", string.Join(' ', entry.Aliases));
            if (entry.Hidden) Field(text, "hidden", "true");
            Field(text, "notes", entry.Notes);
        }
        return text.ToString();
    }

    private static void Field(StringBuilder text, string key, string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        var lines = value.Replace("\r\n", "\n").Split('\n');
        text.Append(key).Append('=').Append(lines[0]).Append('\n');
        foreach (var line in lines.Skip(1)) text.Append(' ').Append(line).Append('\n');
    }
}
