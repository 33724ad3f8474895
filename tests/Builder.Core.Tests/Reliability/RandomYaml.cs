using FsCheck;
using FsCheck.Fluent;

namespace Builder.Tests.Reliability;

/// <summary>
/// Recipes from nothing: a soup of YAML tokens, recipe keys and odd characters; and random trees
/// of recipe-shaped keys with values of every type, in block or flow style.
/// </summary>
public static class RandomYaml
{
    public static Gen<(string Family, string Text)> TokenSoup() =>
        Gen.Sized(size => Gen.Choose(0, Math.Max(1, size * 3)).SelectMany(count => Gen.ListOf(Token(), count)))
            .Select(tokens => ("token soup", string.Concat(tokens)));

    public static Gen<(string Family, string Text)> Trees() =>
        from steps in Gen.Choose(0, 6).SelectMany(count => Gen.ListOf(Step(), count))
        from extra in Gen.Choose(0, 2).SelectMany(count => Gen.ListOf(TopLevelEntry(), count))
        from template in Gen.OneOf(Gen.Constant("base.qcow2"), Gen.Elements(FuzzVocabulary.Values))
        from flow in Gen.Elements(true, false)
        select ("random tree", Render(new Tree.Map([("template", new Tree.Leaf(template)), .. extra, ("steps", new Tree.Seq(steps))]), flow));

    private static Gen<string> Token() => Gen.Frequency(
        (4, Gen.Elements(FuzzVocabulary.TopLevelKeys.Concat(FuzzVocabulary.StepKinds).Concat(FuzzVocabulary.OptionNames).Select(k => k + ": "))),
        (3, Gen.Elements("\n", "\n  ", "\n    ", "\n  - ", "- ", "  ", "\t", ", ", ": ", "? ", "[", "]", "{", "}")),
        (3, Gen.Elements(FuzzVocabulary.Values)),
        (2, Gen.Elements(FuzzVocabulary.Paths)),
        (2, Gen.Elements(FuzzVocabulary.OddCharacters)));

    /// <summary>A step: usually a real kind with some of its options, sometimes anything.</summary>
    private static Gen<Tree> Step() => Gen.Frequency(
        (6, from kind in Gen.Elements(FuzzVocabulary.StepKinds)
            from options in Gen.Choose(0, 4).SelectMany(count => Gen.ListOf(OptionEntry(), count))
            from checkpoint in Gen.Elements(false, false, false, true)
            select (Tree)new Tree.Map(checkpoint
                ? [(kind, new Tree.Map([.. options])), ("checkpoint", new Tree.Leaf("true"))]
                : [(kind, new Tree.Map([.. options]))])),
        (2, from kind in Gen.Elements(FuzzVocabulary.StepKinds)
            from value in Node(2)
            select (Tree)new Tree.Map([(kind, value)])),
        (1, Node(3)));

    private static Gen<(string, Tree)> OptionEntry() =>
        Gen.Zip(Gen.Elements(FuzzVocabulary.OptionNames), Gen.Frequency((3, Gen.Elements(FuzzVocabulary.Paths).Select(p => (Tree)new Tree.Leaf(Quote(p)))), (5, Node(2))));

    private static Gen<(string, Tree)> TopLevelEntry() =>
        Gen.Zip(Gen.Elements(FuzzVocabulary.TopLevelKeys.Concat(["output", "output", "unknown", "<<"])), Gen.OneOf(Node(2), OutputMapping()));

    private static Gen<Tree> OutputMapping() =>
        Gen.Choose(0, 4).SelectMany(count => Gen.ListOf(Gen.Zip(Gen.Elements(FuzzVocabulary.OutputKeys), Node(1)), count))
            .Select(entries => (Tree)new Tree.Map([.. entries]));

    private static Gen<Tree> Node(int depth) => depth == 0
        ? Leaf()
        : Gen.Frequency(
            (5, Leaf()),
            (1, Gen.Choose(0, 3).SelectMany(count => Gen.ListOf(Node(depth - 1), count)).Select(items => (Tree)new Tree.Seq([.. items]))),
            (1, Gen.Choose(0, 3).SelectMany(count => Gen.ListOf(Gen.Zip(Gen.Elements(FuzzVocabulary.OptionNames), Node(depth - 1)), count))
                .Select(entries => (Tree)new Tree.Map([.. entries]))));

    private static Gen<Tree> Leaf() => Gen.OneOf(Gen.Elements(FuzzVocabulary.Values), Gen.Elements(FuzzVocabulary.Paths).Select(Quote))
        .Select(value => (Tree)new Tree.Leaf(value));

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\0", "\\0").Replace("\t", "\\t").Replace("\n", "\\n") + "\"";

    private static string Render(Tree tree, bool flow) => flow ? RenderFlow(tree) : RenderBlock(tree, 0).TrimStart('\n') + "\n";

    private static string RenderFlow(Tree tree) => tree switch
    {
        Tree.Leaf leaf => leaf.Value.Contains('\n') ? Quote(leaf.Value) : leaf.Value,
        Tree.Seq seq => "[" + string.Join(", ", seq.Items.Select(RenderFlow)) + "]",
        Tree.Map map => "{ " + string.Join(", ", map.Entries.Select(e => $"{e.Key}: {RenderFlow(e.Value)}")) + " }",
        _ => "",
    };

    private static string RenderBlock(Tree tree, int indent)
    {
        var pad = new string(' ', indent);
        return tree switch
        {
            Tree.Leaf leaf => " " + leaf.Value.Replace("\n", "\n" + pad + "  "),
            Tree.Seq { Items.Count: 0 } => " []",
            Tree.Map { Entries.Count: 0 } => " {}",
            Tree.Seq seq => string.Concat(seq.Items.Select(item => $"\n{pad}-" + RenderBlock(item, indent + 2))),
            Tree.Map map => string.Concat(map.Entries.Select(e => $"\n{pad}{e.Key}:" + RenderBlock(e.Value, indent + 2))),
            _ => "",
        };
    }

    /// <summary>A YAML tree before rendering.</summary>
    private abstract record Tree
    {
        public sealed record Leaf(string Value) : Tree;

        public sealed record Seq(IReadOnlyList<Tree> Items) : Tree;

        public sealed record Map(IReadOnlyList<(string Key, Tree Value)> Entries) : Tree;
    }
}
