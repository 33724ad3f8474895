using System.Text;

namespace Builder.Templates.Repositories.Sources;

/// <summary>OpenPGP cleartext-signed messages (RFC 4880, section 7), as index.asc files are.</summary>
public static class ClearSigned
{
    public const string Header = "-----BEGIN PGP SIGNED MESSAGE-----";
    private const string SignatureHeader = "-----BEGIN PGP SIGNATURE-----";

    /// <summary>Whether the text starts with the clearsigned header (after a byte-order mark or blank lines).</summary>
    public static bool IsClearSigned(ReadOnlySpan<byte> content)
    {
        var text = content;
        if (text.StartsWith("\uFEFF"u8)) text = text[3..];
        while (text.Length > 0 && text[0] is (byte)'\n' or (byte)'\r' or (byte)' ' or (byte)'\t') text = text[1..];
        return text.StartsWith(Encoding.ASCII.GetBytes(Header));
    }

    /// <summary>
    /// The signed text WITHOUT checking the signature: only for --no-check-signature. Drops the armor
    /// headers, undoes dash-escaping, and stops at the signature, as gpgv's --output does.
    /// </summary>
    public static string ExtractUnverified(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var body = new StringBuilder();
        var index = Array.FindIndex(lines, l => l.TrimEnd() == Header);
        if (index < 0) return text;
        // Armor headers ("Hash: SHA512") run to the first empty line.
        for (index++; index < lines.Length && lines[index].TrimEnd().Length > 0; index++) { }
        var first = true;
        for (index++; index < lines.Length && lines[index].TrimEnd() != SignatureHeader; index++)
        {
            var line = lines[index].StartsWith("- ", StringComparison.Ordinal) ? lines[index][2..] : lines[index];
            if (!first) body.Append('\n');
            body.Append(line.TrimEnd(' ', '\t'));
            first = false;
        }
        return body.Append('\n').ToString();
    }
}
