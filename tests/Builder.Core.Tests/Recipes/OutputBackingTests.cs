using Builder.Diagnostics;
using Builder.Tests.Support;

namespace Builder.Tests.Recipes;

/// <summary>output.backing and output.backing-path: thin outputs, and the errors for misuse.</summary>
public sealed class OutputBackingTests : IDisposable
{
    private readonly RecipeFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_thin_output_with_a_relative_backing_path_loads()
    {
        var recipe = folder.Load("template: base.qcow2\noutput: { path: out/web.qcow2, backing: template, backing-path: relative }\nsteps: []\n");

        Assert.True(recipe.Output.BackedByTemplate);
        Assert.True(recipe.Output.RelativeBacking);
    }

    [Fact]
    public void An_unknown_backing_is_an_error_with_a_suggestion()
    {
        var error = Assert.Single(folder.Parse("template: base.qcow2\noutput: { backing: templat }\nsteps: []\n").Diagnostics);

        Assert.Equal("'templat' is not one of none, template", error.Message);
        Assert.Equal(".output.backing", error.Path);
        Assert.Equal("did you mean 'template'?", error.Hint);
    }

    [Fact]
    public void A_thin_output_must_be_qcow2()
    {
        var error = Assert.Single(folder.Parse("template: base.qcow2\noutput: { path: out/web.raw, backing: template }\nsteps: []\n").Diagnostics);

        Assert.Equal("a thin output (backing: template) is a qcow2 overlay, not raw", error.Message);
        Assert.Equal(DiagnosticCodes.InvalidValue, error.Code);
    }

    [Fact]
    public void Backing_path_without_a_thin_output_is_an_error()
    {
        var error = Assert.Single(folder.Parse("template: base.qcow2\noutput: { backing-path: relative }\nsteps: []\n").Diagnostics);

        Assert.Equal("backing-path applies only to a thin output", error.Message);
        Assert.Equal("add backing: template, or remove backing-path", error.Hint);
    }
}
