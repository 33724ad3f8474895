namespace Builder.Tests.Reliability;

/// <summary>
/// The recipes the fuzz test runs, one for each case index: mostly mutated valid recipes and random
/// trees, some token soup, and a steady share of hostile ones, each reaching the loader one of the
/// four ways. A case depends only on the seed and its index, so it replays alone.
/// </summary>
public static class FuzzCases
{
    private static readonly FuzzInput[] Inputs = Enum.GetValues<FuzzInput>();

    public static FuzzCase Make(int seed, int index, int cases)
    {
        var random = FuzzRandom.ForCase(seed, index);
        var (family, text) = random.Weighted<(string, string)>(
            (45, () => RecipeMutations.Case(random)),
            (25, () => RandomYaml.TreeRecipe(random)),
            (18, () => RandomYaml.TokenSoup(random, SoupSize(index, cases))),
            (12, () => HostileRecipes.Case(random)));
        return new FuzzCase(family, text, random.Pick(Inputs));
    }

    /// <summary>Grows evenly from 1 in the first case to 100 in the last: soups of up to 3 tokens at first, up to 300 at the end.</summary>
    private static int SoupSize(int index, int cases) => (int)Math.Round(1 + 99.0 * (index + 1) / cases);
}
