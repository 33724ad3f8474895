using Builder.IntegrationTests.Guestfs;

namespace Builder.IntegrationTests.Pipeline;

/// <summary>A step that fails at run time: exit 1, a located message, nothing left behind.</summary>
public sealed class FailedBuildTests : IDisposable
{
    private readonly BuildWorkspace workspace = BuildWorkspace.Create("cli-fail");

    public void Dispose() => workspace.Dispose();

    [Fact]
    public async Task A_failing_step_exits_1_names_the_step_and_leaves_no_output()
    {
        workspace.Write("recipe.yaml", """
            template: templates/tiny.qcow2
            output: { path: out/fresh/never.qcow2 }
            steps:
              - write: { path: /etc/motd, content: "changed\n" }
              - edit: { path: /etc/fstab, replace: '^no such line$', with: x }
              - hostname: never
            """);

        var (code, _, error) = await BuilderProcess.RunAsync(workspace.Path, workspace.Environment, "build", "recipe.yaml");

        Assert.Equal(1, code);
        Assert.Contains("error: step 2 (edit, recipe.yaml:5:5) failed: the pattern '^no such line$' matches nothing in /etc/fstab", error);
        Assert.Contains("hint: check the pattern against the file, or add optional: true", error);
        // Only the build log is left beside where the image would have been: no image, no work folder.
        Assert.Equal(["fresh", "fresh/never.qcow2.build.log"], workspace.OutputTree());
        Assert.Contains("FAILED after", File.ReadAllText(workspace.Output("fresh/never.qcow2.build.log")));
        Assert.Empty(workspace.QemuProcesses());
        Assert.Equal(workspace.TemplateSha256, Tools.Sha256(workspace.Template));
    }

    [Fact]
    public async Task A_size_smaller_than_the_template_is_refused_before_anything_runs()
    {
        workspace.Write("small.yaml", "template: templates/tiny.qcow2\nsize: 128M\n");

        var (code, _, error) = await BuilderProcess.RunAsync(workspace.Path, workspace.Environment, "build", "small.yaml");

        Assert.Equal(2, code);
        Assert.Contains("small.yaml:2:7: error B030: size 128 MiB is smaller than the template's 256 MiB; disks only grow", error);
        Assert.Empty(workspace.OutputEntries());
    }

    [Fact]
    public async Task An_output_path_onto_the_template_is_refused()
    {
        workspace.Write("self.yaml", "template: templates/tiny.qcow2\noutput: { path: templates/tiny.qcow2 }\n");

        var (code, _, error) = await BuilderProcess.RunAsync(workspace.Path, workspace.Environment, "build", "self.yaml");

        Assert.Equal(2, code);
        Assert.Contains("the output would overwrite the template", error);
        Assert.Equal(workspace.TemplateSha256, Tools.Sha256(workspace.Template));
    }
}
