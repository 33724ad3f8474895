using Builder.IntegrationTests.Guestfs;
using Builder.IntegrationTests.Pipeline;

namespace Builder.IntegrationTests.Templates;

/// <summary>Ctrl-C and SIGTERM during a build, on each backend: a graceful stop, exit 130, nothing left behind.</summary>
[Collection(DebianTemplateCollection.Name)]
public sealed class InterruptedBuildTests(DebianTemplate debian) : IDisposable
{
    private const int SigInt = 2;
    private const int SigTerm = 15;

    private readonly BuildWorkspace workspace = BuildWorkspace.Create("cli-interrupt");

    public void Dispose() => workspace.Dispose();

    [Theory]
    [InlineData(SigInt, "appliance", "\"phase\":\"launch\"")]
    [InlineData(SigTerm, "appliance", "\"kind\":\"run\"")]
    [InlineData(SigInt, "host", "\"kind\":\"run\"")]
    [InlineData(SigTerm, "host", "\"kind\":\"run\"")]
    public async Task A_signal_stops_the_build_within_10_seconds_and_leaves_nothing(int signal, string backend, string after)
    {
        workspace.Write("recipe.yaml", """
            template: debian-12
            output: { path: out/interrupted.qcow2 }
            steps:
              - write: { path: /etc/motd, content: "never published\n" }
              - run: sleep 600
              - hostname: interrupted
            """);
        using var build = BuilderProcess.Start(workspace.Path, workspace.Environment, "build", "recipe.yaml", "--json",
            "--backend", backend, "--store", debian.Store);
        // During the appliance launch, or while the step that sleeps runs.
        await build.WaitForLineAsync(line => line.Contains(after, StringComparison.Ordinal), TimeSpan.FromMinutes(5));
        if (after.Contains("run")) await Task.Delay(1000);

        build.Signal(signal);
        var stopped = DateTime.UtcNow;
        var code = await build.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(130, code);
        Assert.True(DateTime.UtcNow - stopped < TimeSpan.FromSeconds(10), $"took {DateTime.UtcNow - stopped}");
        Assert.Contains("nothing was written to the output path", build.Error);
        Assert.Equal(["interrupted.qcow2.build.log"], workspace.OutputTree());
        Assert.Empty(workspace.HostLeftovers());
        Assert.Equal(debian.Template.Digest, "sha256:" + Tools.Sha256(debian.Template.ImagePath));
    }
}
