using FsCheck;
using FsCheck.Fluent;

namespace Builder.Tests.Reliability;

/// <summary>
/// Valid recipes broken a little at a time: lines deleted, duplicated, swapped and re-indented;
/// keys renamed; values replaced by every type, hostile paths, odd characters, anchors and aliases,
/// nesting and long strings. Positions are drawn as numbers and taken modulo the text's size.
/// </summary>
public static class RecipeMutations
{
    private delegate string Mutation(string text);

    public static Gen<(string Family, string Text)> Cases() =>
        from seed in Gen.Elements(RecipeSeeds.All.ToArray())
        from mutations in Gen.Choose(1, 6).SelectMany(count => Gen.ListOf(AnyMutation(), count))
        select ("mutated recipe: " + string.Join(", ", mutations.Select(m => m.Name)),
            mutations.Aggregate(seed, (text, m) => m.Apply(text)));

    private static Gen<(string Name, Mutation Apply)> AnyMutation() => Gen.OneOf(
        Position().Select(p => ("delete line", (Mutation)(t => EditLines(t, p, (lines, i) => lines.RemoveAt(i))))),
        Position().Select(p => ("duplicate line", (Mutation)(t => EditLines(t, p, (lines, i) => lines.Insert(i, lines[i]))))),
        Position().Two().Select(p => ("swap lines", (Mutation)(t => EditLines(t, p.Item1, (lines, i) =>
            (lines[i], lines[p.Item2 % lines.Count]) = (lines[p.Item2 % lines.Count], lines[i]))))),
        Gen.Zip(Position(), Gen.Elements("", " ", "  ", "    ", "\t", "      ", "-")).Select(x => ("re-indent", (Mutation)(t =>
            EditLines(t, x.Item1, (lines, i) => lines[i] = x.Item2 + lines[i].TrimStart(' '))))),
        Gen.Zip(Position(), Fragment()).Select(x => ($"insert {Escape(x.Item2)}", (Mutation)(t => t.Insert(x.Item1 % (t.Length + 1), x.Item2)))),
        Gen.Zip(Position(), Value()).Select(x => ($"value {Escape(x.Item2)}", (Mutation)(t => ReplaceValue(t, x.Item1, x.Item2)))),
        Gen.Zip(Position(), Key()).Select(x => ($"key {x.Item2}", (Mutation)(t => ReplaceKey(t, x.Item1, x.Item2)))),
        Position().Select(p => ("truncate", (Mutation)(t => t[..(p % (t.Length + 1))]))),
        Position().Two().Select(p => ("anchor and alias", (Mutation)(t => ReplaceValue(ReplaceValue(t, p.Item1, "&x " + ValueAt(t, p.Item1)), p.Item2, "*x")))),
        Gen.Zip(Position(), Gen.Choose(1, 100)).Select(x => ($"nest {x.Item2}", (Mutation)(t =>
            ReplaceValue(t, x.Item1, new string('[', x.Item2) + ValueAt(t, x.Item1) + new string(']', x.Item2))))),
        Gen.Zip(Position(), Gen.Choose(1, 100_000)).Select(x => ($"long value {x.Item2}", (Mutation)(t =>
            ReplaceValue(t, x.Item1, "\"" + new string('x', x.Item2) + "\"")))));

    private static Gen<int> Position() => Gen.Choose(0, 1_000_000);

    private static Gen<string> Fragment() => Gen.Elements(FuzzVocabulary.Values.Concat(FuzzVocabulary.OddCharacters).Concat(FuzzVocabulary.Paths));

    private static Gen<string> Value() => Gen.OneOf(
        Gen.Elements(FuzzVocabulary.Values),
        Gen.Elements(FuzzVocabulary.Paths),
        Gen.Elements(FuzzVocabulary.Paths).Select(p => $"\"{p.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\0", "\\0")}\""),
        Gen.Elements(FuzzVocabulary.OddCharacters));

    private static Gen<string> Key() => Gen.Elements(
        FuzzVocabulary.TopLevelKeys.Concat(FuzzVocabulary.StepKinds).Concat(FuzzVocabulary.OptionNames).Concat(FuzzVocabulary.OutputKeys)
            .Concat(["", "- ", "? ", "<<", "&k key", "*k", "\"quoted\"", "[a]", "{a: b}", "é", "\0"]));

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
