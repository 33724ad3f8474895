using System.Text;

namespace Builder.Tests.Reliability;

/// <summary>
/// Recipes written to hurt a parser: nesting 10,000 levels deep, 1 MiB strings in every place,
/// billion-laughs alias bombs, and odd documents (byte order marks, NUL bytes, several documents,
/// tabs, CR line ends, tens of thousands of keys).
/// </summary>
public static class HostileRecipes
{
    public const int Huge = 1 << 20;

    /// <summary>Where a hostile value goes: the top, the steps, a step's option, an unknown key.</summary>
    private static readonly string[] Places =
    [
        "", "template: base.qcow2\nsteps: ", "template: base.qcow2\nsteps:\n  - install: ", "template: base.qcow2\nunknown: ",
        "template: base.qcow2\nsteps:\n  - script: { env: ", "template: base.qcow2\noutput: ",
    ];

    private static readonly int[] Depths = [65, 1_000, 10_000, 100_000];

    private static readonly string[] Openers = ["[", "{", "{a: ", "[{x: ", "- ", "? ", "&a [", "!!seq ["];

    private static readonly int[] FanOuts = [2, 9, 10, 100];

    private static readonly string[] BombPlaces = ["top", "steps", "install", "env", "as key", "merge"];

    /// <summary>One of the four kinds, each as likely: deep nesting, a huge string, an alias bomb, an odd document.</summary>
    public static (string Family, string Text) Case(FuzzRandom random) =>
        random.OneOf(() => DeepNesting(random), () => Made(random.Pick(HugeStrings)), () => AliasBomb(random), () => Made(random.Pick(OddDocuments)));

    private static (string, string) DeepNesting(FuzzRandom random)
    {
        var depth = random.Pick(Depths);
        var opener = random.Pick(Openers);
        var closed = random.Bool();
        var place = random.Pick(Places);
        return ($"nested {depth} deep with '{opener}'", place + Repeat(opener, depth) + "x" + (closed ? Closers(opener, depth) : "") + "\n");
    }

    /// <summary>The hostile texts are made only when drawn: some are 17 MiB.</summary>
    private static (string, string) Made((string Family, Func<string> Make) hostile) => (hostile.Family, hostile.Make());

    private static readonly (string Family, Func<string> Make)[] HugeStrings =
    [
        ("1 MiB plain content", () => $"template: base.qcow2\nsteps:\n  - write: {{ path: /etc/motd, content: {new string('x', Huge)} }}\n"),
        ("1 MiB quoted content", () => $"template: base.qcow2\nsteps:\n  - write: {{ path: /etc/motd, content: \"{new string('é', Huge)}\" }}\n"),
        ("1 MiB literal block", () => "template: base.qcow2\nsteps:\n  - script: |\n" + Repeat("      echo hello world\n", Huge / 24)),
        ("1 MiB key", () => $"template: base.qcow2\n{new string('k', Huge)}: value\n"),
        ("1 MiB step kind", () => $"template: base.qcow2\nsteps:\n  - {new string('w', Huge)}: {{}}\n"),
        ("1 MiB template name", () => $"template: {new string('t', Huge)}\n"),
        ("1 MiB host path", () => $"template: base.qcow2\nsteps:\n  - upload: {{ from: {Repeat("a/", Huge / 2)}f, to: /x }}\n"),
        ("1 MiB guest path", () => $"template: base.qcow2\nsteps:\n  - mkdir: /{Repeat("d/", Huge / 2)}\n"),
        ("1 MiB regex", () => $"template: base.qcow2\nsteps:\n  - edit: {{ path: /x, replace: '{Repeat("(a", Huge / 4)}{Repeat(")", Huge / 4)}', with: b }}\n"),
        ("10,000 nested regex groups", () => $"template: base.qcow2\nsteps:\n  - edit: {{ path: /x, replace: '{Repeat("(", 10_000)}a{Repeat(")*", 10_000)}', with: b }}\n"),
        ("1 MiB comment", () => "# " + new string('#', Huge) + "\ntemplate: base.qcow2\n"),
        ("1 MiB of newlines", () => "template: base.qcow2\n" + new string('\n', Huge) + "steps: 1\n"),
        ("1 MiB of spaces", () => "template: base.qcow2" + new string(' ', Huge) + "\n"),
        ("1 MiB of NUL", () => "template: base.qcow2\n" + new string('\0', Huge)),
        ("1 MiB of emoji", () => "template: base.qcow2\nname: " + Repeat("🙂", Huge / 2) + "\n"),
        ("1 MiB of colons", () => new string(':', Huge)),
        ("200,000 list items", () => "template: base.qcow2\nsteps:\n" + Repeat("  - a\n", 200_000)),
        ("100,000 install items", () => "template: base.qcow2\nsteps:\n  - install: [" + Repeat("p,", 100_000) + "p]\n"),
        ("20,000 duplicate keys", () => Repeat("template: base.qcow2\n", 20_000)),
        ("20,000 unknown keys", () => "template: base.qcow2\n" + string.Concat(Enumerable.Range(0, 20_000).Select(i => $"k{i}: v\n"))),
        ("17 MiB file", () => "template: base.qcow2\n# " + new string('x', 17 << 20) + "\n"),
    ];

    private static (string, string) AliasBomb(FuzzRandom random)
    {
        var levels = random.Int(3, 12);
        var fanOut = random.Pick(FanOuts);
        var block = random.Bool();
        var place = random.Pick(BombPlaces);
        return ($"alias bomb {fanOut}^{levels} ({(block ? "block" : "flow")}, {place})", AliasBomb(levels, fanOut, block, place));
    }

    /// <summary>Billion laughs: level n is a list of fanOut aliases of level n-1, so the last level expands to fanOut^levels strings.</summary>
    private static string AliasBomb(int levels, int fanOut, bool block, string place)
    {
        var text = new StringBuilder("template: base.qcow2\nlaughs:\n  - &l0 lol\n");
        for (var level = 1; level <= levels; level++)
        {
            var aliases = Enumerable.Repeat($"*l{level - 1}", fanOut).ToList();
            text.Append(block
                ? $"  - &l{level}\n" + string.Concat(aliases.Select(a => $"    - {a}\n"))
                : $"  - &l{level} [{string.Join(", ", aliases)}]\n");
        }
        var bomb = $"*l{levels}";
        text.Append(place switch
        {
            "steps" => $"steps: {bomb}\n",
            "install" => $"steps:\n  - install: {bomb}\n",
            "env" => $"steps:\n  - script: {{ content: x, env: {{ A: {bomb} }} }}\n",
            "as key" => $"steps:\n  - {{ {bomb} : x }}\n",
            "merge" => $"steps:\n  - write: {{ <<: {bomb}, path: /x }}\n",
            _ => $"bomb: {bomb}\n",
        });
        return text.ToString();
    }

    private static readonly (string Family, Func<string> Make)[] OddDocuments =
    [
        ("empty", () => ""),
        ("whitespace", () => " \n\t\n  "),
        ("only a comment", () => "# nothing\n"),
        ("document markers", () => "---\n...\n"),
        ("byte order mark", () => "\uFEFF" + RecipeSeeds.All[0]),
        ("two byte order marks", () => "\uFEFF\uFEFFtemplate: base.qcow2\n"),
        ("CRLF line ends", () => RecipeSeeds.All[^1].Replace("\n", "\r\n")),
        ("CR line ends", () => RecipeSeeds.All[^1].Replace("\n", "\r")),
        ("NEL line ends", () => RecipeSeeds.All[^1].Replace("\n", "\u0085")),
        ("tabs for indentation", () => RecipeSeeds.All[^1].Replace("  ", "\t")),
        ("NUL in the middle", () => RecipeSeeds.All[^1].Insert(RecipeSeeds.All[^1].Length / 2, "\0")),
        ("NUL in a host path", () => "template: base.qcow2\nsteps:\n  - upload: { from: \"files/nginx.conf\\0../../etc/shadow\", to: /x }\n"),
        ("two documents", () => "template: base.qcow2\n---\ntemplate: base.qcow2\n"),
        ("directives", () => "%YAML 1.1\n%TAG ! tag:example.com,2000:\n---\ntemplate: !thing base.qcow2\n"),
        ("unknown YAML version", () => "%YAML 9.9\n---\ntemplate: base.qcow2\n"),
        ("self alias", () => "template: base.qcow2\nsteps: &a [*a]\n"),
        ("undefined alias", () => "template: *nothing\n"),
        ("anchor redefined", () => "a: &x 1\nb: &x [2]\ntemplate: base.qcow2\nsteps: *x\n"),
        ("alias as key", () => "k: &k template\n*k : base.qcow2\n"),
        ("complex key", () => "? [template]\n: base.qcow2\n"),
        ("lone surrogates", () => "template: base.qcow2\nname: \uD800\uDFFF\uDC00\uD800\n"),
        ("escaped code point too large", () => "template: base.qcow2\nname: \"\\U00110000\"\n"),
        ("escaped surrogate", () => "template: base.qcow2\nname: \"\\uD800\"\n"),
        ("scalar root", () => "just a string\n"),
        ("list root", () => "- template: base.qcow2\n"),
        ("tagged root", () => "!!set { template }\n"),
    ];

    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    private static string Closers(string opener, int depth)
    {
        var closers = new string(opener.Where(c => c is '[' or '{').Reverse().Select(c => c == '[' ? ']' : '}').ToArray());
        return Repeat(closers, depth);
    }
}
