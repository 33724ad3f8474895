using Builder.Diagnostics;
using Builder.Execution;
using Builder.Recipes;
using Builder.Tests.Support;

namespace Builder.Tests.Execution;

/// <summary>The output checks that depend on the build's options: streaming, and -o changing the recipe's format.</summary>
public sealed class OutputChecksTests : IDisposable
{
    private readonly RecipeFolder folder = new();

    public void Dispose() => folder.Dispose();

    private Recipe Recipe(string output) => folder.Load($"template: base.qcow2\noutput: {output}\nsteps: []\n");

    private static BuildOptions Streaming => new(OutputStream: Stream.Null);

    [Theory]
    [InlineData("{ format: qcow2 }", ImageFormat.Qcow2)]
    [InlineData("{ format: qcow2, compress: true }", ImageFormat.Qcow2)]
    [InlineData("{ path: out/a.raw }", ImageFormat.Raw)]
    public void Qcow2_and_raw_can_be_streamed(string output, ImageFormat format)
    {
        Assert.Null(OutputChecks.Problem(Recipe(output), format, Streaming));
    }

    [Theory]
    [InlineData("vmdk")]
    [InlineData("vhdx")]
    [InlineData("vpc")]
    public void Other_formats_cannot_be_streamed(string format)
    {
        var recipe = Recipe($"{{ format: {format} }}");

        var problem = OutputChecks.Problem(recipe, recipe.Output.Format, Streaming);

        Assert.NotNull(problem);
        Assert.Equal(DiagnosticCodes.InvalidValue, problem.Code);
        Assert.Equal($"a {format} image cannot be streamed; only raw and qcow2 can", problem.Message);
        Assert.Equal(".output.format", problem.Path);
        Assert.Equal("recipe.yaml", problem.Span.File);
        Assert.Equal("write format: qcow2 or format: raw in the recipe, or write the image to a file", problem.Hint);
    }

    [Fact]
    public void A_thin_output_cannot_be_streamed()
    {
        var problem = OutputChecks.Problem(Recipe("{ backing: template }"), ImageFormat.Qcow2, Streaming);

        Assert.Equal("a thin output (backing: template) names its template by path and cannot be streamed", problem?.Message);
        Assert.Equal(".output.backing", problem?.Path);
    }

    [Fact]
    public void An_output_path_that_makes_a_compressed_recipe_raw_is_an_error()
    {
        var problem = OutputChecks.Problem(Recipe("{ compress: true }"), ImageFormat.Raw, new BuildOptions(OutputPath: "out/a.raw"));

        Assert.Equal("the recipe compresses its output, which applies only to qcow2, but the output path makes it raw", problem?.Message);
        Assert.Equal(".output.compress", problem?.Path);
        Assert.Equal("give an output path ending in .qcow2, or remove compress", problem?.Hint);
    }

    [Fact]
    public void An_output_path_that_makes_a_reproducible_recipe_a_vmdk_is_an_error()
    {
        var problem = OutputChecks.Problem(Recipe("{ reproducible: true }"), ImageFormat.Vmdk, new BuildOptions(OutputPath: "out/a.vmdk"));

        Assert.Equal("the recipe's output is reproducible, but the output path makes it vmdk, and qemu-img writes a random content id (CID) in its descriptor",
            problem?.Message);
        Assert.Equal(".output.reproducible", problem?.Path);
        Assert.Equal("give an output path ending in .qcow2 or .raw, or remove reproducible", problem?.Hint);
    }

    [Fact]
    public void A_file_output_of_any_format_passes()
    {
        Assert.Null(OutputChecks.Problem(Recipe("{ format: vmdk }"), ImageFormat.Vmdk, new BuildOptions()));
    }

    [Fact]
    public void A_path_and_a_stream_together_are_a_usage_error()
    {
        var both = new BuildOptions(OutputPath: "out/a.qcow2", OutputStream: Stream.Null);

        var error = Assert.Throws<ArgumentException>(() => OutputChecks.ThrowIfMisused(both, 1));

        Assert.StartsWith("give an output path or an output stream, not both", error.Message);
    }

    [Fact]
    public void A_stream_takes_one_recipe()
    {
        Assert.Throws<ArgumentException>(() => OutputChecks.ThrowIfMisused(Streaming, 2));
    }
}
