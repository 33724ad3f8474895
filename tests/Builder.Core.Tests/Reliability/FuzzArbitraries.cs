using FsCheck;
using FsCheck.Fluent;

namespace Builder.Tests.Reliability;

/// <summary>
/// The recipes FsCheck draws: mostly mutated valid recipes and random trees, some token soup, and
/// a steady share of hostile ones. No shrinking: a failing case is printed whole enough to rerun.
/// </summary>
public static class FuzzArbitraries
{
    public static Arbitrary<FuzzCase> Recipes() =>
        Gen.Zip(
                Gen.Frequency(
                    (45, RecipeMutations.Cases()),
                    (25, RandomYaml.Trees()),
                    (18, RandomYaml.TokenSoup()),
                    (12, HostileRecipes.Cases())),
                Gen.Elements(Enum.GetValues<FuzzInput>()))
            .Select(x => new FuzzCase(x.Item1.Family, x.Item1.Text, x.Item2))
            .ToArbitrary();
}
