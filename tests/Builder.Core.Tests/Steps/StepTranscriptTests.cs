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
        folder.Write("files/nginx.conf", "events {}\n");
        folder.Write("keys/admin.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleExampleExampleExampleExampleExample admin\n");
        var recipe = folder.Load($"template: base.qcow2\nsteps:\n  {StepRegistry.BuiltIn.Find(name)!.Example}\n");
        var guest = GuestTrees.Debian();
        var runner = new StepRunner(guest);
        runner.Environment["ROOT_PASSWORD"] = "correct horse";

        await runner.RunAsync(recipe);

        string.Join("\n", guest.Transcript).MatchSnapshot(SnapshotNameExtension.Create(name));
    }
}
