namespace Builder.Tests.Reliability;

/// <summary>
/// Valid recipes broken a little at a time: lines deleted, duplicated, swapped and re-indented;
/// keys renamed; values replaced by every type, hostile paths, odd characters, anchors and aliases,
/// nesting and long strings. Positions are drawn as numbers and taken modulo the text's size.
/// </summary>
public static class RecipeMutations
{
    private delegate string Mutation(string text);

    private static readonly string[] Indents = ["", " ", "  ", "    ", "\t", "      ", "-"];

    private static readonly string[] Fragments = [.. FuzzVocabulary.Values, .. FuzzVocabulary.OddCharacters, .. FuzzVocabulary.Paths];

    private static readonly string[] Keys =
    [
        .. FuzzVocabulary.TopLevelKeys, .. FuzzVocabulary.StepKinds, .. FuzzVocabulary.OptionNames, .. FuzzVocabulary.OutputKeys,
        "", "- ", "? ", "<<", "&k key", "*k", "\"quoted\"", "[a]", "{a: b}", "é", "\0",
    ];

    /// <summary>A valid recipe with one to six mutations, named in the family.</summary>
    public static (string Family, string Text) Case(FuzzRandom random)
    {
        var seed = random.Pick(RecipeSeeds.All);
        var mutations = random.ListOf(random.Int(1, 6), () => AnyMutation(random));
        return ("mutated recipe: " + string.Join(", ", mutations.Select(m => m.Name)),
            mutations.Aggregate(seed, (text, m) => m.Apply(text)));
    }

    /// <summary>One of eleven mutations, each as likely, at one or two drawn positions.</summary>
    private static (string Name, Mutation Apply) AnyMutation(FuzzRandom random)
    {
        var kind = random.Int(0, 10);
        var p = Position(random);
        var q = Position(random);
        switch (kind)
        {
            case 0: return ("delete line", t => EditLines(t, p, (lines, i) => lines.RemoveAt(i)));
            case 1: return ("duplicate line", t => EditLines(t, p, (lines, i) => lines.Insert(i, lines[i])));
            case 2:
                return ("swap lines", t => EditLines(t, p, (lines, i) =>
                    (lines[i], lines[q % lines.Count]) = (lines[q % lines.Count], lines[i])));
            case 3:
                var indent = random.Pick(Indents);
                return ("re-indent", t => EditLines(t, p, (lines, i) => lines[i] = indent + lines[i].TrimStart(' ')));
            case 4:
                var fragment = random.Pick(Fragments);
                return ($"insert {Escape(fragment)}", t => t.Insert(p % (t.Length + 1), fragment));
            case 5:
                var value = Value(random);
                return ($"value {Escape(value)}", t => ReplaceValue(t, p, value));
            case 6:
                var key = random.Pick(Keys);
                return ($"key {key}", t => ReplaceKey(t, p, key));
            case 7: return ("truncate", t => t[..(p % (t.Length + 1))]);
            case 8: return ("anchor and alias", t => ReplaceValue(ReplaceValue(t, p, "&x " + ValueAt(t, p)), q, "*x"));
            case 9:
                var depth = random.Int(1, 100);
                return ($"nest {depth}", t => ReplaceValue(t, p, new string('[', depth) + ValueAt(t, p) + new string(']', depth)));
            default:
                var length = random.Int(1, 100_000);
                return ($"long value {length}", t => ReplaceValue(t, p, "\"" + new string('x', length) + "\""));
        }
    }

    private static int Position(FuzzRandom random) => random.Int(0, 1_000_000);

    private static string Value(FuzzRandom random) => random.OneOf(
        () => random.Pick(FuzzVocabulary.Values),
        () => random.Pick(FuzzVocabulary.Paths),
        () => DoubleQuoted(random.Pick(FuzzVocabulary.Paths)),
        () => random.Pick(FuzzVocabulary.OddCharacters));

    private static string DoubleQuoted(string path) => $"\"{path.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\0", "\\0")}\"";

    private static string EditLines(string text, int position, Action<List<string>, int> edit)
    {
        var lines = text.Split('\n').ToList();
        edit(lines, position % lines.Count);
        return string.Join('\n', lines);
    }

    /// <summary>Replaces what follows the first ": " (or "- ") on the chosen line, or appends the value to the line.</summary>
    private static string ReplaceValue(string text, int position, string value) => EditLines(text, position, (lines, i) =>
    {
        var (start, _) = ValueRange(lines[i]);
        lines[i] = lines[i][..start] + value;
    });

    private static string ValueAt(string text, int position)
    {
        var lines = text.Split('\n');
        var line = lines[position % lines.Length];
        return line[ValueRange(line).Start..];
    }

    private static (int Start, int End) ValueRange(string line)
    {
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        if (colon >= 0) return (colon + 2, line.Length);
        var dash = line.IndexOf("- ", StringComparison.Ordinal);
        return dash >= 0 ? (dash + 2, line.Length) : (line.Length, line.Length);
    }

    private static string ReplaceKey(string text, int position, string key) => EditLines(text, position, (lines, i) =>
    {
        var line = lines[i];
        var colon = line.IndexOf(':');
        if (colon < 0) return;
        var indent = line.Length - line.TrimStart(' ', '-').Length;
        lines[i] = line[..indent] + key + line[colon..];
    });

    private static string Escape(string fragment) =>
        fragment.Length > 20 ? $"{fragment.Length} chars" : string.Concat(fragment.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
