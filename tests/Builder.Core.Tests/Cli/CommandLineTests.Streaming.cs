using Builder.Cli;

namespace Builder.Tests.Cli;

/// <summary>`builder build -o -` refusals, which happen before anything is built or written.</summary>
public sealed partial class CommandLineTests
{
    [Fact]
    public async Task Streaming_a_vmdk_exits_2_naming_the_formats_that_stream()
    {
        var recipe = folder.Write("vm.yaml", "template: base.qcow2\noutput: { path: out/vm.vmdk }\nsteps:\n  - hostname: vm\n");

        var (code, output, error) = await Run("build", recipe, "-o", "-");

        Assert.Equal(2, code);
        Assert.Contains("error B030: a vmdk image cannot be streamed; only raw and qcow2 can", error);
        Assert.Equal("", output);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "out")));
    }

    [Fact]
    public async Task Streaming_many_recipes_exits_2()
    {
        folder.Write("many/a.yaml", "template: ../base.qcow2\n");
        folder.Write("many/b.yaml", "template: ../base.qcow2\n");

        var (code, _, error) = await Run("build", Path.Combine(folder.Path, "many"), "-o", "-");

        Assert.Equal(2, code);
        Assert.Contains("--output names one image", error);
    }
}
