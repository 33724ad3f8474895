using Builder.IntegrationTests.Pipeline;

namespace Builder.IntegrationTests.Reproducibility;

/// <summary>
/// `builder verify RECIPE` as a process on the tiny template (host backend): two builds, each from an
/// empty layer cache in a scratch folder of the store, which is gone afterwards.
/// </summary>
public sealed class VerifyCliTests : IDisposable
{
    private readonly BuildWorkspace workspace = BuildWorkspace.Create("verify");

    public void Dispose() => workspace.Dispose();

    [Fact]
    public async Task Builds_twice_and_the_exit_code_agrees_with_the_verdict_leaving_nothing_in_the_store()
    {
        workspace.Write("motd.yaml", "name: motd\ntemplate: templates/tiny.qcow2\nsteps:\n  - write: { path: /etc/motd, content: \"hello\\n\" }\n");

        var (code, output, error) = await BuilderProcess.RunAsync(workspace.Path, workspace.Environment, "verify", "motd.yaml", "--backend", "host");

        Assert.Contains("verify: build 1 of 2", error);
        Assert.Contains("verify: build 2 of 2", error);
        // Each build starts from an empty layer cache: the second takes nothing from the first.
        Assert.DoesNotContain(": cached", error);
        if (code == 0) Assert.Matches("^reproducible: motd sha256:[0-9a-f]{64}\n$", output);
        else
        {
            Assert.True(code == 1, error);
            Assert.Matches("^not reproducible: motd: build 1 sha256:[0-9a-f]{64}, build 2 sha256:[0-9a-f]{64}\n", output);
            // Either paths that differ, or the note that the trees are the same and the filesystems are not.
            Assert.True(output.Contains(" differences: ", StringComparison.Ordinal) || output.Contains(" difference: ", StringComparison.Ordinal)
                || output.Contains("note: the file trees are identical", StringComparison.Ordinal), output);
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(workspace.Store, "tmp")));
        Assert.False(Directory.Exists(Path.Combine(workspace.Store, "layers")) && Directory.EnumerateFileSystemEntries(Path.Combine(workspace.Store, "layers")).Any());
        Assert.Empty(workspace.OutputEntries());
        Assert.Empty(workspace.HostLeftovers());
    }
}
