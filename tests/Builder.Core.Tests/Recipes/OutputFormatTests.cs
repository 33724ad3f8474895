using Builder.Diagnostics;
using Builder.Recipes;
using Builder.Tests.Support;

namespace Builder.Tests.Recipes;

/// <summary>output.format, output.subformat, output.compress and output.sparsify: binding, qemu-img options, and the errors for misuse.</summary>
public sealed class OutputFormatTests : IDisposable
{
    private readonly RecipeFolder folder = new();

    public void Dispose() => folder.Dispose();

    private OutputSpec Output(string output) => folder.Load($"template: base.qcow2\noutput: {output}\nsteps: []\n").Output;

    private Diagnostic Error(string output) =>
        Assert.Single(folder.Parse($"template: base.qcow2\noutput: {output}\nsteps: []\n").Diagnostics);

    [Theory]
    [InlineData("out/a.qcow2", ImageFormat.Qcow2)]
    [InlineData("out/a.raw", ImageFormat.Raw)]
    [InlineData("out/a.img", ImageFormat.Raw)]
    [InlineData("out/a.vmdk", ImageFormat.Vmdk)]
    [InlineData("out/a.VHDX", ImageFormat.Vhdx)]
    [InlineData("out/a.vhd", ImageFormat.Vpc)]
    [InlineData("out/a.vpc", ImageFormat.Vpc)]
    [InlineData("out/a.disk", ImageFormat.Qcow2)]
    public void Takes_the_format_from_the_extension_when_not_given(string path, ImageFormat format)
    {
        var output = Output($"{{ path: {path} }}");

        Assert.Equal(format, output.Format);
        Assert.False(output.FormatGiven);
    }

    [Theory]
    [InlineData("vmdk", "recipe.vmdk")]
    [InlineData("vhdx", "recipe.vhdx")]
    [InlineData("vpc", "recipe.vhd")]
    [InlineData("raw", "recipe.raw")]
    public void The_default_path_has_the_formats_extension(string format, string file)
    {
        var output = Output($"{{ format: {format} }}");

        Assert.Equal(Path.Combine(folder.Path, "out", file), output.Path);
    }

    [Fact]
    public void Defaults_are_no_subformat_no_compression_and_sparsify()
    {
        var output = Output("{ path: out/a.qcow2 }");

        Assert.Null(output.Subformat);
        Assert.False(output.Compress);
        Assert.True(output.Sparsify);
    }

    [Fact]
    public void Binds_subformat_compress_and_sparsify()
    {
        var vmdk = Output("{ path: out/a.vmdk, subformat: monolithicSparse, sparsify: false }");
        var qcow2 = Output("{ path: out/a.qcow2, compress: true, sparsify: true }");

        Assert.Equal("monolithicSparse", vmdk.Subformat);
        Assert.False(vmdk.Sparsify);
        Assert.True(qcow2.Compress);
        Assert.True(qcow2.Sparsify);
    }

    [Theory]
    [InlineData("qcow2", "compat=1.1")]
    [InlineData("raw", null)]
    [InlineData("vmdk", "subformat=streamOptimized")]
    [InlineData("vhdx", "subformat=dynamic")]
    [InlineData("vpc", "subformat=fixed,force_size=on")]
    public void Each_format_has_its_hypervisors_qemu_img_options_by_default(string format, string? options)
    {
        var output = Output($"{{ format: {format} }}");

        var target = output.TargetFor(output.Format);

        Assert.Equal(format, target.Format);
        Assert.Equal(options, target.Options);
        Assert.False(target.Compress);
    }

    [Theory]
    [InlineData("{ format: vmdk, subformat: monolithicSparse }", "subformat=monolithicSparse")]
    [InlineData("{ format: vhdx, subformat: fixed }", "subformat=fixed")]
    [InlineData("{ format: vpc, subformat: dynamic }", "subformat=dynamic,force_size=on")]
    public void A_subformat_overrides_the_default(string yaml, string options)
    {
        var output = Output(yaml);

        Assert.Equal(options, output.TargetFor(output.Format).Options);
    }

    [Fact]
    public void Compress_asks_qemu_img_for_a_compressed_qcow2()
    {
        var output = Output("{ path: out/a.qcow2, compress: true }");

        Assert.Equal(new Images.ConvertTarget("qcow2", "compat=1.1", Compress: true), output.TargetFor(ImageFormat.Qcow2));
    }

    [Fact]
    public void A_subformat_applies_only_to_the_recipes_own_format()
    {
        var output = Output("{ path: out/a.vhd, subformat: dynamic }");

        Assert.Equal("subformat=dynamic", output.TargetFor(ImageFormat.Vhdx).Options);
        Assert.Equal("fixed", OutputFormatOptions.Of(ImageFormat.Vpc).DefaultSubformat);
    }

    [Fact]
    public void A_subformat_on_qcow2_is_an_error_at_its_place()
    {
        var error = Error("{ path: out/a.qcow2, subformat: dynamic }");

        Assert.Equal(DiagnosticCodes.InvalidValue, error.Code);
        Assert.Equal("a qcow2 image has no subformat", error.Message);
        Assert.Equal(".output.subformat", error.Path);
        Assert.Equal((2, 41), (error.Span.Line, error.Span.Column));
        Assert.Equal("remove subformat; only vmdk (streamOptimized, monolithicSparse), vhdx (dynamic, fixed), vpc (fixed, dynamic) have one", error.Hint);
    }

    [Fact]
    public void A_subformat_on_raw_is_an_error()
    {
        var error = Error("{ format: raw, subformat: fixed }");

        Assert.Equal("a raw image has no subformat", error.Message);
    }

    [Fact]
    public void A_misspelt_subformat_gets_a_suggestion()
    {
        var error = Error("{ format: vmdk, subformat: streamoptimised }");

        Assert.Equal("'streamoptimised' is not a supported vmdk subformat", error.Message);
        Assert.Equal(".output.subformat", error.Path);
        Assert.Equal("did you mean 'streamOptimized'?", error.Hint);
    }

    [Fact]
    public void MonolithicFlat_is_refused_because_it_writes_a_second_file()
    {
        var error = Error("{ format: vmdk, subformat: monolithicFlat }");

        Assert.Equal("'monolithicFlat' is not a supported vmdk subformat", error.Message);
        Assert.Equal("monolithicFlat writes the disk as more than one file; use streamOptimized (vSphere, OVA) or monolithicSparse", error.Hint);
    }

    [Fact]
    public void A_vpc_subformat_must_be_fixed_or_dynamic()
    {
        var error = Error("{ path: out/a.vhd, subformat: streamOptimized }");

        Assert.Equal("'streamOptimized' is not a supported vpc subformat", error.Message);
        Assert.Equal("known vpc subformats: fixed, dynamic", error.Hint);
    }

    [Fact]
    public void Compressing_a_vmdk_is_an_error_saying_streamOptimized_is_compressed()
    {
        var error = Error("{ format: vmdk, compress: true }");

        Assert.Equal(DiagnosticCodes.InvalidValue, error.Code);
        Assert.Equal("compress applies only to qcow2, not vmdk", error.Message);
        Assert.Equal(".output.compress", error.Path);
        Assert.Equal((2, 35), (error.Span.Line, error.Span.Column));
        Assert.Equal("a streamOptimized vmdk (the default subformat) is always compressed; remove compress", error.Hint);
    }

    [Theory]
    [InlineData("{ path: out/a.raw, compress: true }", "raw", "a raw image is the disk's bytes as they are; remove compress, or write format: qcow2")]
    [InlineData("{ format: vhdx, compress: true }", "vhdx", "qemu-img does not compress vhdx; remove compress, or write format: qcow2")]
    [InlineData("{ format: vpc, compress: true }", "vpc", "qemu-img does not compress vpc; remove compress, or write format: qcow2")]
    public void Compressing_another_format_than_qcow2_is_an_error(string yaml, string format, string hint)
    {
        var error = Error(yaml);

        Assert.Equal($"compress applies only to qcow2, not {format}", error.Message);
        Assert.Equal(hint, error.Hint);
    }

    [Fact]
    public void Compress_false_is_fine_for_any_format()
    {
        Assert.False(Output("{ format: vmdk, compress: false }").Compress);
    }

    [Fact]
    public void A_thin_output_cannot_be_compressed()
    {
        var error = Error("{ path: out/a.qcow2, backing: template, compress: true }");

        Assert.Equal("a thin output (backing: template) cannot be compressed", error.Message);
        Assert.Equal(".output.compress", error.Path);
        Assert.Equal("remove compress, or remove backing for a standalone compressed qcow2", error.Hint);
    }

    [Fact]
    public void A_thin_output_must_still_be_qcow2()
    {
        var error = Error("{ path: out/a.vmdk, backing: template }");

        Assert.Equal("a thin output (backing: template) is a qcow2 overlay, not vmdk", error.Message);
    }

    [Theory]
    [InlineData("compress", "yes")]
    [InlineData("sparsify", "\"false\"")]
    public void Flags_take_true_or_false_only(string key, string value)
    {
        var error = Error($"{{ path: out/a.qcow2, {key}: {value} }}");

        Assert.Equal($"expected true or false, found '{value.Trim('"')}'", error.Message);
        Assert.Equal($".output.{key}", error.Path);
        Assert.Equal("write true or false without quotes", error.Hint);
    }

    [Fact]
    public void A_misspelt_output_key_suggests_the_new_keys()
    {
        var error = Error("{ path: out/a.qcow2, compres: true }");

        Assert.Equal("unknown output option 'compres'", error.Message);
        Assert.Equal("did you mean 'compress'?", error.Hint);
    }

    [Fact]
    public void An_unknown_format_lists_every_format()
    {
        var error = Error("{ format: vdi }");

        Assert.Equal("'vdi' is not a supported output format", error.Message);
        Assert.Equal("known formats: qcow2, raw, vmdk, vhdx, vpc", error.Hint);
    }
}
