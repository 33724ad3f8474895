using Builder.IntegrationTests.Guestfs;

namespace Builder.IntegrationTests.Pipeline;

/// <summary>Ctrl-C and SIGTERM during a build: a graceful stop, exit 130, nothing left behind.</summary>
public sealed class InterruptedBuildTests : IDisposable
{
    private const int SigInt = 2;
    private const int SigTerm = 15;

    private readonly BuildWorkspace workspace = BuildWorkspace.Create("cli-interrupt");

    public void Dispose() => workspace.Dispose();

    [Theory]
    [InlineData(SigInt, "\"phase\":\"launch\"")]
    [InlineData(SigTerm, "\"kind\":\"upload\"")]
    public async Task A_signal_stops_the_build_within_10_seconds_and_leaves_nothing(int signal, string after)
    {
        workspace.Write("recipe.yaml", """
            template: templates/tiny.qcow2
            output: { path: out/interrupted.qcow2 }
            steps:
              - write: { path: /etc/motd, content: "never published\n" }
              - upload: { from: big.bin, to: /srv/big.bin }
              - hostname: interrupted
            """);
        // Big enough that the upload is still running when the signal comes (seconds under TCG).
        using (var big = File.Create(Path.Combine(workspace.Path, "big.bin"))) big.SetLength(160L << 20);
        using var build = BuilderProcess.Start(workspace.Path, workspace.Environment, "build", "recipe.yaml", "--json");
        // During the appliance launch, or while a step runs in the launched appliance.
        await build.WaitForLineAsync(line => line.Contains(after, StringComparison.Ordinal), TimeSpan.FromMinutes(5));

        build.Signal(signal);
        var stopped = DateTime.UtcNow;
        var code = await build.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(130, code);
        Assert.True(DateTime.UtcNow - stopped < TimeSpan.FromSeconds(10), $"took {DateTime.UtcNow - stopped}");
        Assert.Contains("nothing was written to the output path", build.Error);
        Assert.Equal(["interrupted.qcow2.build.log"], workspace.OutputTree());
        Assert.Empty(workspace.QemuProcesses());
        Assert.Equal(workspace.TemplateSha256, Tools.Sha256(workspace.Template));
    }
}
