namespace Builder.Tests.Reliability;

/// <summary>
/// Recipes from nothing: a soup of YAML tokens, recipe keys and odd characters; and random trees
/// of recipe-shaped keys with values of every type, in block or flow style.
/// </summary>
public static class RandomYaml
{
    private static readonly string[] KeysWithColons =
        [.. FuzzVocabulary.TopLevelKeys.Concat(FuzzVocabulary.StepKinds).Concat(FuzzVocabulary.OptionNames).Select(k => k + ": ")];

    private static readonly string[] Punctuation = ["\n", "\n  ", "\n    ", "\n  - ", "- ", "  ", "\t", ", ", ": ", "? ", "[", "]", "{", "}"];

    private static readonly string[] TopLevelKeys = [.. FuzzVocabulary.TopLevelKeys, "output", "output", "unknown", "<<"];

    /// <summary>Up to three tokens per unit of size: the fuzz test grows the size from 1 to 100 over its cases.</summary>
    public static (string Family, string Text) TokenSoup(FuzzRandom random, int size) =>
        ("token soup", string.Concat(random.ListOf(random.Int(0, Math.Max(1, size * 3)), () => Token(random))));

    public static (string Family, string Text) TreeRecipe(FuzzRandom random)
    {
        var steps = random.ListOf(random.Int(0, 6), () => Step(random));
        var extra = random.ListOf(random.Int(0, 2), () => TopLevelEntry(random));
        var template = random.OneOf(() => "base.qcow2", () => random.Pick(FuzzVocabulary.Values));
        var flow = random.Bool();
        return ("random tree", Render(new Tree.Map([("template", new Tree.Leaf(template)), .. extra, ("steps", new Tree.Seq(steps))]), flow));
    }

    private static string Token(FuzzRandom random) => random.Weighted(
        (4, () => random.Pick(KeysWithColons)),
        (3, () => random.Pick(Punctuation)),
        (3, () => random.Pick(FuzzVocabulary.Values)),
        (2, () => random.Pick(FuzzVocabulary.Paths)),
        (2, () => random.Pick(FuzzVocabulary.OddCharacters)));

    /// <summary>A step: usually a real kind with some of its options, one in four a checkpoint; sometimes anything.</summary>
    private static Tree Step(FuzzRandom random) => random.Weighted<Tree>(
        (6, () =>
        {
            var kind = random.Pick(FuzzVocabulary.StepKinds);
            var options = random.ListOf(random.Int(0, 4), () => OptionEntry(random));
            var checkpoint = random.Int(1, 4) == 4;
            return new Tree.Map(checkpoint
                ? [(kind, new Tree.Map(options)), ("checkpoint", new Tree.Leaf("true"))]
                : [(kind, new Tree.Map(options))]);
        }),
        (2, () => new Tree.Map([(random.Pick(FuzzVocabulary.StepKinds), Node(random, 2))])),
        (1, () => Node(random, 3)));

    private static (string, Tree) OptionEntry(FuzzRandom random) => (
        random.Pick(FuzzVocabulary.OptionNames),
        random.Weighted<Tree>((3, () => new Tree.Leaf(Quote(random.Pick(FuzzVocabulary.Paths)))), (5, () => Node(random, 2))));

    private static (string, Tree) TopLevelEntry(FuzzRandom random) =>
        (random.Pick(TopLevelKeys), random.OneOf(() => Node(random, 2), () => OutputMapping(random)));

    private static Tree OutputMapping(FuzzRandom random) =>
        new Tree.Map(random.ListOf(random.Int(0, 4), () => (random.Pick(FuzzVocabulary.OutputKeys), Node(random, 1))));

    private static Tree Node(FuzzRandom random, int depth) => depth == 0
        ? Leaf(random)
        : random.Weighted<Tree>(
            (5, () => Leaf(random)),
            (1, () => new Tree.Seq(random.ListOf(random.Int(0, 3), () => Node(random, depth - 1)))),
            (1, () => new Tree.Map(random.ListOf(random.Int(0, 3), () => (random.Pick(FuzzVocabulary.OptionNames), Node(random, depth - 1))))));

    private static Tree Leaf(FuzzRandom random) =>
        new Tree.Leaf(random.OneOf(() => random.Pick(FuzzVocabulary.Values), () => Quote(random.Pick(FuzzVocabulary.Paths))));

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
