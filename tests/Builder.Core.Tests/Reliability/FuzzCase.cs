using System.Text;

namespace Builder.Tests.Reliability;

/// <summary>How a generated recipe reaches the loader.</summary>
public enum FuzzInput
{
    /// <summary>Straight to the parser, lone surrogates and all.</summary>
    String,

    /// <summary>A file in UTF-8, as `builder validate` reads it (unpaired surrogates become U+FFFD).</summary>
    Utf8File,

    /// <summary>A file in UTF-16 with a byte order mark.</summary>
    Utf16File,

    /// <summary>A file in Latin-1: anything beyond ASCII is invalid UTF-8.</summary>
    Latin1File,
}

/// <summary>One generated recipe: how it was made (for the failure message), its text, and how it reaches the loader.</summary>
public sealed record FuzzCase(string Family, string Text, FuzzInput Input)
{
    private const int PreviewLength = 600;

    /// <summary>What a failure prints of the case: the family, the size and the start of the text, escaped.</summary>
    public override string ToString()
    {
        var preview = new StringBuilder();
        foreach (var c in Text.Take(PreviewLength))
            preview.Append(c is '\n' ? "\\n" : char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString());
        var more = Text.Length > PreviewLength ? $"… ({Text.Length - PreviewLength} more chars)" : "";
        return $"{Family} [{Text.Length} chars, {Input}]: \"{preview}{more}\"";
    }
}
