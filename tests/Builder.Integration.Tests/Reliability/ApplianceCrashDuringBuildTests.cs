using System.Diagnostics;
using Builder.Execution;
using Builder.IntegrationTests.Templates;
using Builder.Recipes;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Reliability;

/// <summary>
/// A build on the appliance backend whose qemu dies while a script step runs: the step fails with
/// libguestfs's words, the build ends at once, nothing is written to the output path, and no process
/// of the build (found by its folder in the command line) is left.
/// </summary>
[Collection(DebianTemplateCollection.Name)]
public sealed class ApplianceCrashDuringBuildTests(DebianTemplate debian, ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("builder-crash-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task An_appliance_that_dies_during_a_script_step_fails_the_step_with_the_libguestfs_error_and_leaves_nothing()
    {
        // Given a recipe whose script step runs for ten minutes, and a watcher that kills the build's qemu once the script has started
        var recipe = Path.Combine(_folder, "recipe.yaml");
        await File.WriteAllTextAsync(recipe, """
            template: debian-12
            output: { path: out/image.qcow2 }
            steps:
              - script: |
                  echo script-started
                  sleep 600

            """);
        var loaded = debian.Services.GetRequiredService<RecipeLoader>().Load(recipe);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
        var killedAt = new Stopwatch();
        var killed = new List<int>();
        var progress = new Observer(e =>
        {
            if (e is not StepOutput { Line: "script-started" } || killedAt.IsRunning) return;
            killed.AddRange(ProcessTable.QemuMentioning(_folder));
            foreach (var pid in killed) ProcessTable.Kill(pid);
            killedAt.Start();
        });

        // When it builds on the appliance backend
        var result = await debian.Services.GetRequiredService<IImageBuilder>()
            .BuildAsync(loaded.Recipe!, new BuildOptions(Backend: BackendChoice.Appliance), progress, CancellationToken.None);

        // Then the step failed with what libguestfs said, promptly, and the build left only its log and no process
        output.WriteLine($"the build ended {killedAt.Elapsed.TotalSeconds:0.0} s after qemu {string.Join(", ", killed)} was killed: {result.Error?.Message}\n{result.Error?.Hint}");
        Assert.Single(killed);
        Assert.Equal(BuildOutcome.Failed, result.Outcome);
        Assert.StartsWith("step 1 (script, ", result.Error!.Message);
        Assert.EndsWith("failed: run: /usr/bin/qemu-system-x86_64 killed by signal 9 (Killed).", result.Error.Message);
        Assert.True(killedAt.Elapsed < TimeSpan.FromSeconds(30), $"took {killedAt.Elapsed}");
        Assert.Equal(["image.qcow2.build.log"], Directory.EnumerateFileSystemEntries(Path.Combine(_folder, "out")).Select(Path.GetFileName).Order());
        Assert.Empty(await ProcessTable.GoneAsync(_folder, TimeSpan.FromSeconds(5)));
        Assert.Equal(debian.Template.Digest, "sha256:" + Guestfs.Tools.Sha256(debian.Template.ImagePath));
    }

    private sealed class Observer(Action<BuildEvent> observe) : IProgress<BuildEvent>
    {
        public void Report(BuildEvent value) => observe(value);
    }
}
