using Builder.Steps;
using Builder.Tests.Support;
using Snapshooter;
using Snapshooter.Xunit;

namespace Builder.Tests.Steps;

/// <summary>Each step's example, run against a recording guest: the guest calls it makes, snapshotted.</summary>
public sealed class StepTranscriptTests
{
    public static TheoryData<string> Kinds() => new(StepRegistry.BuiltIn.Kinds.Select(k => k.Name));

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Example_makes_the_expected_guest_calls(string name)
    {
        using var folder = new RecipeFolder();
        Examples.WriteInputs(folder);
        var recipe = folder.Load(Examples.Recipe(StepRegistry.BuiltIn.Find(name)!.Example));
        var guest = GuestTrees.Debian();
        var runner = new StepRunner(guest);
        runner.Environment["ROOT_PASSWORD"] = "correct horse";

        await runner.RunAsync(recipe);

        string.Join("\n", guest.Transcript).MatchSnapshot(SnapshotNameExtension.Create(name));
    }
}
