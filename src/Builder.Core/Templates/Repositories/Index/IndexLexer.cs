using System.Text;
using Builder.Diagnostics;

namespace Builder.Templates.Repositories.Index;

/// <summary>A <c>[name]</c> section of an ini-style file, with its fields in file order.</summary>
public sealed record IniSection(string Name, int Line, IReadOnlyList<IniField> Fields);

/// <summary>
/// <c>key=value</c> or <c>key[subkey]=value</c>. <paramref name="Value"/> joins continuation lines with '\n'.
/// <paramref name="Line"/> is where the key is; <paramref name="ValueColumn"/> is where its value starts.
/// </summary>
public sealed record IniField(string Key, string? Subkey, string Value, int Line, int ValueColumn)
{
    /// <summary>"checksum[sha512]" or "name": how the field is written.</summary>
    public string FullKey => Subkey is null ? Key : $"{Key}[{Subkey}]";
}

/// <summary>
/// Splits virt-builder's ini dialect (used by indexes and by repos.d files) into sections and fields:
/// <c>#</c> comments; <c>[section]</c>; <c>key=value</c> and <c>key[subkey]=value</c>; a line starting
/// with a space continues the previous value, and a line of just one space is an empty line of the value.
/// gpgv strips trailing blanks from the text it verified, turning that lone space into an empty line,
/// so an empty line followed by a continuation line is read as an empty line of the value too.
/// Trailing empty lines of a value are dropped, so a value reads the same signed or not.
/// </summary>
public static class IndexLexer
{
    public static IReadOnlyList<IniSection> Read(string text, string file, DiagnosticBag diagnostics)
    {
        var sections = new List<IniSection>();
        string? sectionName = null;
        var sectionLine = 0;
        var fields = new List<IniField>();
        IniField? open = null;
        StringBuilder? value = null;
        var pendingEmpty = 0;

        void CloseField()
        {
            if (open is not null) fields.Add(open with { Value = value!.ToString().TrimEnd('\n') });
            open = null;
            value = null;
            pendingEmpty = 0;
        }

        void CloseSection()
        {
            CloseField();
            if (sectionName is not null) sections.Add(new IniSection(sectionName, sectionLine, fields));
            fields = [];
        }

        var lines = text.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var number = index + 1;
            var line = lines[index].TrimEnd('\r');
            if (index == 0) line = line.TrimStart('\uFEFF');

            if (line.Length == 0 || line == " ")
            {
                // Possibly an empty line inside a value: decided by whether a continuation follows.
                if (open is not null) pendingEmpty++;
                continue;
            }
            if (line[0] == '#') continue;
            if (line[0] == ' ')
            {
                if (open is null)
                {
                    diagnostics.Error(DiagnosticCodes.IndexSyntax, "continuation line without a field before it",
                        new SourceSpan(file, number, 1, line.Length), Where(sectionName, null),
                        "a line starting with a space continues the value of the field above it");
                    continue;
                }
                for (; pendingEmpty > 0; pendingEmpty--) value!.Append('\n');
                value!.Append('\n').Append(line.AsSpan(1));
                continue;
            }

            CloseField();
            if (line[0] == '[')
            {
                CloseSection();
                var close = line.IndexOf(']');
                var name = close > 1 ? line[1..close] : "";
                if (close < 0 || close != line.TrimEnd().Length - 1 || name.Length == 0 || name.Any(char.IsWhiteSpace))
                {
                    diagnostics.Error(DiagnosticCodes.IndexSyntax, $"malformed section header '{line}'",
                        new SourceSpan(file, number, 1, line.Length), line.Trim(), "write it as [name], alone on its line");
                    sectionName = null;
                    continue;
                }
                sectionName = name;
                sectionLine = number;
                continue;
            }

            if (ParseField(line, number) is not { } field)
            {
                diagnostics.Error(DiagnosticCodes.IndexSyntax, $"cannot read line '{line}'",
                    new SourceSpan(file, number, 1, line.Length), Where(sectionName, null),
                    "expected key=value, key[subkey]=value, [section], a comment (#) or a continuation line (starting with a space)");
                continue;
            }
            if (sectionName is null)
            {
                diagnostics.Error(DiagnosticCodes.IndexSyntax, $"field '{field.FullKey}' before any [section]",
                    new SourceSpan(file, number, 1, field.FullKey.Length), field.FullKey);
                continue;
            }
            open = field;
            value = new StringBuilder(field.Value);
        }
        CloseSection();
        return sections;
    }

    /// <summary>The path shown under a diagnostic: "[debian-12].file".</summary>
    public static string Where(string? section, string? key) =>
        (section is null ? "(top)" : $"[{section}]") + (key is null ? "" : "." + key);

    private static IniField? ParseField(string line, int number)
    {
        var equals = line.IndexOf('=');
        if (equals <= 0) return null;
        var key = line[..equals];
        string? subkey = null;
        var open = key.IndexOf('[');
        if (open >= 0)
        {
            if (open == 0 || !key.EndsWith(']') || key.Length - open < 3) return null;
            subkey = key[(open + 1)..^1];
            key = key[..open];
            if (!subkey.All(IsSubkeyChar)) return null;
        }
        if (!key.All(IsKeyChar)) return null;
        return new IniField(key, subkey, line[(equals + 1)..], number, equals + 2);
    }

    private static bool IsKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';

    private static bool IsSubkeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ',' or '@';
}
