using System.Text;
using System.Text.Json;
using Builder.IntegrationTests.Guestfs;

namespace Builder.IntegrationTests.Pipeline;

/// <summary>
/// Every output format round-trips: qemu-img says the format and checks the image where the format
/// supports it, and the disk's contents read back the same as from the qcow2 build of the same
/// recipe. Streaming to stdout (-o -) writes the same image and nothing else.
/// </summary>
public sealed class OutputFormatTests(OutputFormatBuilds builds) : IClassFixture<OutputFormatBuilds>
{
    private BuildWorkspace Workspace => builds.Workspace;

    public static TheoryData<string> Variants => new(OutputFormatBuilds.Outputs.Keys);

    private static JsonElement Info(string image, string? format = null)
    {
        var arguments = new List<string> { "info", "--output=json" };
        if (format is not null) arguments.AddRange(["-f", format]);
        arguments.Add(image);
        return JsonDocument.Parse(Tools.Run("qemu-img", [.. arguments])).RootElement.Clone();
    }

    private long TemplateVirtualSize => Info(Workspace.Template).GetProperty("virtual-size").GetInt64();

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_variant_builds(string variant)
    {
        var result = builds.Results[variant];

        Assert.True(result.Succeeded, result.Error?.Message + string.Join("\n", result.Diagnostics));
        Assert.True(File.Exists(builds.Output(variant)));
    }

    [Theory]
    [InlineData("qcow2")]
    [InlineData("compressed")]
    [InlineData("raw")]
    [InlineData("vmdk")]
    [InlineData("vhdx")]
    public void Qemu_img_info_says_the_format(string variant)
    {
        var info = Info(builds.Output(variant));

        Assert.Equal(OutputFormatBuilds.FormatOf(variant), info.GetProperty("format").GetString());
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_virtual_size_is_the_templates(string variant)
    {
        var info = Info(builds.Output(variant), OutputFormatBuilds.FormatOf(variant));

        Assert.Equal(TemplateVirtualSize, info.GetProperty("virtual-size").GetInt64());
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_build_reports_the_outputs_sizes(string variant)
    {
        var image = builds.Output(variant);
        var reported = builds.Reported[variant];

        Assert.Equal(TemplateVirtualSize, reported.VirtualSize);
        Assert.Equal(new FileInfo(image).Length, reported.FileSize);
        // Blocks on disk settle as the filesystem writes back (delayed allocation), so the two readings may differ a little.
        var allocated = Info(image, OutputFormatBuilds.FormatOf(variant)).GetProperty("actual-size").GetInt64();
        Assert.InRange(reported.AllocatedSize, allocated - allocated / 50 - (2 << 20), allocated + allocated / 50 + (2 << 20));
        Assert.NotNull(reported.SavedByTrimming);
    }

    [Fact]
    public void The_vmdk_is_stream_optimized_and_compressed()
    {
        var data = Info(builds.Output("vmdk")).GetProperty("format-specific").GetProperty("data");

        Assert.Equal("streamOptimized", data.GetProperty("create-type").GetString());
        Assert.True(data.GetProperty("extents")[0].GetProperty("compressed").GetBoolean());
    }

    [Fact]
    public void The_vhd_is_a_fixed_vpc_of_exactly_the_disks_size()
    {
        var image = builds.Output("vpc");

        var info = Info(image, "vpc");

        Assert.Equal("vpc", info.GetProperty("format").GetString());
        Assert.Equal(TemplateVirtualSize, info.GetProperty("virtual-size").GetInt64());
        // A fixed VHD is the disk's bytes and a 512-byte footer; a dynamic one would start with the footer's copy.
        Assert.Equal(TemplateVirtualSize + 512, new FileInfo(image).Length);
        using var file = File.OpenRead(image);
        var footer = new byte[8];
        file.Seek(-512, SeekOrigin.End);
        file.ReadExactly(footer);
        Assert.Equal("conectix", Encoding.ASCII.GetString(footer));
    }

    [Theory]
    [InlineData("qcow2")]
    [InlineData("compressed")]
    [InlineData("vmdk")]
    [InlineData("vhdx")]
    public void Qemu_img_check_passes(string variant)
    {
        var result = JsonDocument.Parse(Tools.Run("qemu-img", "check", "--output=json", "-f", OutputFormatBuilds.FormatOf(variant), builds.Output(variant)));

        Assert.Equal(0, result.RootElement.GetProperty("check-errors").GetInt32());
    }

    [Theory]
    [InlineData("compressed")]
    [InlineData("raw")]
    [InlineData("vmdk")]
    [InlineData("vhdx")]
    [InlineData("vpc")]
    public void The_disk_reads_back_byte_for_byte_as_from_the_qcow2(string variant)
    {
        var expected = builds.RawSha256(builds.Output("qcow2"), "qcow2");

        Assert.Equal(expected, builds.RawSha256(builds.Output(variant), OutputFormatBuilds.FormatOf(variant)));
    }

    [Fact]
    public void The_raw_output_is_the_disk_itself()
    {
        Assert.Equal(builds.RawSha256(builds.Output("qcow2"), "qcow2"), Tools.Sha256(builds.Output("raw")));
    }

    [Fact]
    public void The_compressed_qcow2_holds_compressed_clusters_and_is_smaller()
    {
        var compressed = builds.Output("compressed");

        var check = JsonDocument.Parse(Tools.Run("qemu-img", "check", "--output=json", compressed)).RootElement;

        Assert.True(check.GetProperty("compressed-clusters").GetInt64() > 0);
        Assert.True(new FileInfo(compressed).Length < new FileInfo(builds.Output("qcow2")).Length,
            $"compressed {new FileInfo(compressed).Length} bytes, uncompressed {new FileInfo(builds.Output("qcow2")).Length}");
    }

    [Fact]
    public async Task The_files_the_steps_wrote_read_back_from_the_qcow2()
    {
        await using var image = await ImageReader.OpenAsync(builds.Output("qcow2"), "qcow2", Path.Combine(Workspace.Path, "reader"));

        Assert.Equal("written once, read in every format\n", await image.TextAsync("/etc/motd"));
        Assert.Equal("formats.example.com\n", await image.TextAsync("/etc/hostname"));
        Assert.Equal(20_000 * "compressible line of text\n".Length, (await image.StatAsync("/srv/data.txt")).Size);
    }

    [Theory]
    [InlineData("qcow2")]
    [InlineData("raw")]
    public async Task Streaming_to_stdout_writes_the_image_and_nothing_else(string format)
    {
        var name = $"streamed-{format}";
        builds.WriteRecipe(name, $"{{ path: out/{name}.{format} }}");
        var streamed = Path.Combine(Workspace.Path, $"{name}.stdout");

        var (code, error) = await StreamedBuilderProcess.RunAsync(Workspace.Path, Workspace.Environment, streamed,
            "build", $"{name}.yaml", "-o", "-", "--backend", "host");

        Assert.True(code == 0, error);
        Assert.Equal(format, Info(streamed).GetProperty("format").GetString());
        // The same bytes as the file output: not one byte of progress among them.
        Assert.Equal(Tools.Sha256(builds.Output(format)), Tools.Sha256(streamed));
        Assert.Equal(builds.RawSha256(builds.Output("qcow2"), "qcow2"), builds.RawSha256(streamed, format));
        Assert.Contains($"Building {name}", error);
        Assert.Contains("-> stdout", error);
        Assert.DoesNotContain(Workspace.OutputEntries(), e => e.Contains(name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Streaming_json_events_go_to_stderr()
    {
        builds.WriteRecipe("streamed-json", "{ path: out/streamed-json.qcow2 }");
        var streamed = Path.Combine(Workspace.Path, "streamed-json.stdout");

        var (code, error) = await StreamedBuilderProcess.RunAsync(Workspace.Path, Workspace.Environment, streamed,
            "build", "streamed-json.yaml", "-o", "-", "--backend", "host", "--json");

        Assert.True(code == 0, error);
        Assert.Equal(Tools.Sha256(builds.Output("qcow2")), Tools.Sha256(streamed));
        var events = error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal("-", events.Single(e => e.GetProperty("event").GetString() == "build-succeeded").GetProperty("output").GetString());
    }

    [Fact]
    public async Task Streaming_a_vmdk_exits_2_and_writes_nothing()
    {
        builds.WriteRecipe("streamed-vmdk", "{ path: out/streamed-vmdk.vmdk }");
        var streamed = Path.Combine(Workspace.Path, "streamed-vmdk.stdout");

        var (code, error) = await StreamedBuilderProcess.RunAsync(Workspace.Path, Workspace.Environment, streamed,
            "build", "streamed-vmdk.yaml", "-o", "-", "--backend", "host");

        Assert.Equal(2, code);
        Assert.Contains("a vmdk image cannot be streamed; only raw and qcow2 can", error);
        Assert.Equal(0, new FileInfo(streamed).Length);
        Assert.DoesNotContain(Workspace.OutputEntries(), e => e.Contains("streamed-vmdk", StringComparison.Ordinal));
    }

    [Fact]
    public void Streaming_to_a_terminal_is_refused()
    {
        builds.WriteRecipe("streamed-tty", "{ path: out/streamed-tty.qcow2 }");

        var (code, output) = StreamedBuilderProcess.RunOnTerminal(Workspace.Path, Workspace.Environment,
            "build", "streamed-tty.yaml", "-o", "-", "--backend", "host");

        Assert.Equal(2, code);
        Assert.Contains("refusing to write a disk image to a terminal; redirect or pipe it", output);
        Assert.DoesNotContain(Workspace.OutputEntries(), e => e.Contains("streamed-tty", StringComparison.Ordinal));
    }

    [Fact]
    public void The_template_is_byte_identical_after_every_build()
    {
        Assert.Equal(Workspace.TemplateSha256, Tools.Sha256(Workspace.Template));
    }
}
