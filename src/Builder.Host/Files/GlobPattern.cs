using System.Text;

namespace Builder.Host.Files;

/// <summary>
/// One path component of a shell glob, as glob(3) without GLOB_PERIOD matches it: * ? [...] (ranges,
/// ! or ^ negation, [:class:]) and backslash escapes; a leading dot must be matched literally.
/// Plus brace expansion ({a,b}), which GLOB_BRACE applies before matching.
/// </summary>
internal static class GlobPattern
{
    public static bool HasMagic(string component)
    {
        for (var i = 0; i < component.Length; i++)
        {
            if (component[i] == '\\') i++;
            else if (component[i] is '*' or '?' or '[') return true;
        }
        return false;
    }

    public static string Unescape(string component)
    {
        var text = new StringBuilder(component.Length);
        for (var i = 0; i < component.Length; i++)
        {
            if (component[i] == '\\' && i + 1 < component.Length) i++;
            text.Append(component[i]);
        }
        return text.ToString();
    }

    public static bool Matches(string pattern, string name)
    {
        if (name.StartsWith('.') && !pattern.StartsWith('.') && !pattern.StartsWith("\\.", StringComparison.Ordinal)) return false;
        return Match(pattern, 0, name, 0);
    }

    /// <summary>{a,b}c → ac, bc (nested braces too); a pattern without a complete brace group is itself.</summary>
    public static IReadOnlyList<string> ExpandBraces(string pattern)
    {
        var open = -1;
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\') { i++; continue; }
            if (pattern[i] != '{') continue;
            open = i;
            break;
        }
        if (open < 0) return [pattern];
        var (close, commas) = (-1, new List<int>());
        for (int i = open + 1, depth = 0; i < pattern.Length && close < 0; i++)
        {
            switch (pattern[i])
            {
                case '\\': i++; break;
                case '{': depth++; break;
                case '}' when depth > 0: depth--; break;
                case '}': close = i; break;
                case ',' when depth == 0: commas.Add(i); break;
            }
        }
        if (close < 0) return [pattern];
        var (prefix, suffix) = (pattern[..open], pattern[(close + 1)..]);
        var starts = new List<int> { open + 1 };
        starts.AddRange(commas.Select(c => c + 1));
        var ends = new List<int>(commas) { close };
        var expanded = new List<string>();
        for (var k = 0; k < starts.Count; k++)
            expanded.AddRange(ExpandBraces(prefix + pattern[starts[k]..ends[k]] + suffix));
        return expanded;
    }

    private static bool Match(string pattern, int p, string name, int n)
    {
        while (p < pattern.Length)
        {
            switch (pattern[p])
            {
                case '*':
                    while (p < pattern.Length && pattern[p] == '*') p++;
                    if (p == pattern.Length) return true;
                    for (var k = n; k <= name.Length; k++)
                        if (Match(pattern, p, name, k)) return true;
                    return false;
                case '?':
                    if (n >= name.Length) return false;
                    (p, n) = (p + 1, n + 1);
                    break;
                case '[' when ClassEnd(pattern, p) is var end && end > 0:
                    if (n >= name.Length || !InClass(pattern[(p + 1)..end], name[n])) return false;
                    (p, n) = (end + 1, n + 1);
                    break;
                default:
                    if (pattern[p] == '\\' && p + 1 < pattern.Length) p++;
                    if (n >= name.Length || pattern[p] != name[n]) return false;
                    (p, n) = (p + 1, n + 1);
                    break;
            }
        }
        return n == name.Length;
    }

    /// <summary>The index of the ] closing the bracket expression at <paramref name="open"/>, or -1 (then [ is literal).</summary>
    private static int ClassEnd(string pattern, int open)
    {
        var i = open + 1;
        if (i < pattern.Length && pattern[i] is '!' or '^') i++;
        if (i < pattern.Length && pattern[i] == ']') i++;
        for (; i < pattern.Length; i++)
        {
            if (pattern[i] == '[' && i + 1 < pattern.Length && pattern[i + 1] == ':')
            {
                var close = pattern.IndexOf(":]", i + 2, StringComparison.Ordinal);
                if (close > 0) { i = close + 1; continue; }
            }
            if (pattern[i] == ']') return i;
        }
        return -1;
    }

    private static bool InClass(string body, char c)
    {
        var negate = body.Length > 0 && body[0] is '!' or '^';
        var i = negate ? 1 : 0;
        var matched = false;
        while (i < body.Length)
        {
            if (body[i] == '[' && i + 1 < body.Length && body[i + 1] == ':' && body.IndexOf(":]", i + 2, StringComparison.Ordinal) is var close && close > 0)
            {
                matched |= InNamedClass(body[(i + 2)..close], c);
                i = close + 2;
            }
            else if (i + 2 < body.Length && body[i + 1] == '-')
            {
                matched |= c >= body[i] && c <= body[i + 2];
                i += 3;
            }
            else
            {
                matched |= body[i] == c;
                i++;
            }
        }
        return matched != negate;
    }

    private static bool InNamedClass(string name, char c) => name switch
    {
        "alpha" => char.IsAsciiLetter(c),
        "digit" => char.IsAsciiDigit(c),
        "alnum" => char.IsAsciiLetterOrDigit(c),
        "upper" => char.IsAsciiLetterUpper(c),
        "lower" => char.IsAsciiLetterLower(c),
        "space" => c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v',
        "blank" => c is ' ' or '\t',
        "punct" => char.IsAsciiLetterOrDigit(c) is false && c > ' ' && c < 127,
        "xdigit" => char.IsAsciiHexDigit(c),
        "print" => c >= ' ' && c < 127,
        "graph" => c > ' ' && c < 127,
        "cntrl" => c < ' ' || c == 127,
        _ => false,
    };
}
