using Builder.Steps;

namespace Builder.Tests.Reliability;

/// <summary>The pieces generated recipes are made of: real keys and step kinds, values of every type, hostile paths and characters.</summary>
public static class FuzzVocabulary
{
    public static readonly string[] TopLevelKeys = ["name", "template", "size", "output", "backend", "source-date-epoch", "steps"];

    public static readonly string[] OutputKeys = ["path", "format", "subformat", "compress", "sparsify", "backing", "backing-path"];

    public static readonly string[] StepKinds = StepRegistry.BuiltIn.Kinds.Select(k => k.Name).ToArray();

    /// <summary>Every option name of every step kind, and checkpoint.</summary>
    public static readonly string[] OptionNames = StepRegistry.BuiltIn.Kinds
        .SelectMany(k => k.Options.Fields.Select(f => f.Name)).Append("checkpoint").Distinct().Order(StringComparer.Ordinal).ToArray();

    /// <summary>Values of every YAML type, flow and block, including anchors, aliases, tags and empties.</summary>
    public static readonly string[] Values =
    [
        "", "~", "null", "true", "false", "yes", "0", "-1", "42", "0644", "\"0644\"", "0o755", "1e309", "-0", ".nan", ".inf",
        "9223372036854775808", "8G", "0G", "99999999T", "[]", "{}", "[a, b]", "[[[]]]", "{ a: 1 }", "{ path: /x }", "[{ a: [b] }]",
        "''", "\"\"", "'it''s'", "\"\\u0000\"", "\"\\x00\"", "\"\\U0010FFFF\"", "\"\\U00110000\"", "\"\\uD800\"", "\"\\e\\a\\0\"",
        "&a hello", "*a", "&b [x, *a]", "*nowhere", "!!binary aGVsbG8=", "!!int x", "!!map {}", "!custom thing", "!!python/object:os.system x",
        "|\n  block\n  text", ">-\n  folded", "|+", "|-9", "? complex", "- item", "a: b", "<<: *a", "@reserved", "`tick", "%directive",
        "/etc/motd", "/", "//", "/etc/../..", "/x/*", "relative/guest", "debian-12", "base.qcow2", "web1", "Europe/London", "../../..",
        "0750", "root", "www-data", "0:0", "-", "--", "---", "...", "#comment", "a #b", "'unterminated", "\"unterminated", "{ unterminated",
    ];

    /// <summary>Host paths a hostile recipe might name: escapes, absolute paths, odd characters.</summary>
    public static readonly string[] Paths =
    [
        "files/nginx.conf", "keys/admin.pub", "files/site", "files/index.html", "keys/demo.pub", "./files/nginx.conf", "files//nginx.conf",
        "../../etc/shadow", "../../../../../../etc/passwd", "/etc/shadow", "/etc/hostname", "/dev/zero", "/dev/stdin", "/proc/self/environ",
        "files/../../etc/shadow", "files/../keys/admin.pub", "files/escape", "files/escape-folder/hostname", "files/loop", "..", ".", "/",
        "~/.ssh/id_rsa", "$HOME/.ssh/id_rsa", "C:\\Windows\\win.ini", "\\\\server\\share", "fïlès/ñ.conf", "файлы/конфиг", "ファイル/設定",
        "files/\u202Egnp.exe", "files/\u200Bzero-width", "files/nul\0byte", "files/\ttab", "files/ space ", "files/.", "files/..",
        new string('a', 300), string.Concat(Enumerable.Repeat("../", 200)) + "etc/shadow", string.Concat(Enumerable.Repeat("d/", 2000)) + "f",
    ];

    /// <summary>Characters that break parsers: control characters, NUL, BOM, line and paragraph separators, lone surrogates, emoji, right-to-left marks.</summary>
    public static readonly string[] OddCharacters =
    [
        "\0", "\t", "\r", "\r\n", "\u0085", "\u2028", "\u2029", "\uFEFF", "\uFFFE", "\uFFFF", "\uD800", "\uDC00", "\u001B[31m",
        "\u0007", "\u007F", "\u00A0", "\u200B", "\u200D", "\u202E", "\u0301", "é", "ß", "İ", "🙂", "👨‍👩‍👧", "中文", "עברית", "\U0001F4A9",
        ":", "-", "?", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`", "#", ",", "[", "]", "{", "}", " ", "\n", "\n  ", "\n    - ",
    ];
}
