using System.Text.Json.Nodes;
using Builder.IntegrationTests.Guestfs;
using Builder.IntegrationTests.Pipeline;

namespace Builder.IntegrationTests.Reproducibility;

/// <summary>
/// `builder diff` as a process, on images with known differences: two builds on the tiny template,
/// and raw disks made here with mkfs.ext4 and a loop mount, which Builder never built.
/// </summary>
public sealed class DiffCliTests : IDisposable
{
    private const string Before = """
        template: templates/tiny.qcow2
        steps:
          - write: { path: /etc/motd, content: "hello\n" }
        """;

    private const string After = """
        template: templates/tiny.qcow2
        steps:
          - write: { path: /etc/motd, content: "hello, world\n" }
          - write: { path: /added, content: "new\n" }
          - delete: /etc/timezone
          - chmod: { path: /etc/hostname, mode: "0600" }
          - chown: { path: /srv, user: alice }
        """;

    private static readonly string[] KnownDifferences =
    [
        "+ /added",
        "~ /etc/hostname: mode 0644->0600",
        "~ /etc/motd: content, size 6->13",
        "- /etc/timezone",
        "~ /srv: owner 0:0->1000:1000",
        "5 differences: 1 added, 1 removed, 3 changed",
    ];

    private readonly BuildWorkspace workspace = BuildWorkspace.Create("diff");

    public void Dispose() => workspace.Dispose();

    private Task<(int Code, string Output, string Error)> Builder(params string[] arguments) =>
        BuilderProcess.RunAsync(workspace.Path, workspace.Environment, arguments);

    private async Task<(string Before, string After)> BuildBothAsync()
    {
        workspace.Write("before.yaml", Before);
        workspace.Write("after.yaml", After);
        foreach (var recipe in new[] { "before.yaml", "after.yaml" })
        {
            // Times are whole seconds in the diff: the second build writes /etc/motd in a later second than the first.
            if (recipe == "after.yaml") await Task.Delay(TimeSpan.FromMilliseconds(1100));
            var (code, _, error) = await Builder("build", recipe, "--backend", "host");
            Assert.True(code == 0, error);
        }
        return (workspace.Output("before.qcow2"), workspace.Output("after.qcow2"));
    }

    [Theory]
    [InlineData("host")]
    [InlineData("appliance")]
    public async Task Reports_exactly_the_known_differences_and_exits_1(string backend)
    {
        var (before, after) = await BuildBothAsync();

        var (code, output, error) = await Builder("diff", before, after, "--backend", backend);

        Assert.True(code == 1, error);
        Assert.Equal(KnownDifferences, output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(workspace.HostLeftovers());
    }

    [Fact]
    public async Task An_image_compared_with_itself_exits_0_and_prints_nothing()
    {
        var (before, _) = await BuildBothAsync();

        var (code, output, error) = await Builder("diff", before, before);

        Assert.True(code == 0, error);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task Json_holds_each_difference_with_its_attributes_and_mtimes_when_asked()
    {
        var (before, after) = await BuildBothAsync();

        var (code, output, error) = await Builder("diff", before, after, "--json", "--mtime");

        Assert.True(code == 1, error);
        var json = JsonNode.Parse(output)!;
        Assert.Equal("images", (string)json["compared"]!);
        var differences = json["differences"]!.AsArray().Select(d => d!).ToList();
        var motd = differences.Single(d => (string)d["subject"]! == "/etc/motd");
        Assert.Equal("changed", (string)motd["change"]!);
        Assert.Equal(["content", "size", "mtime"], motd["attributes"]!.AsArray().Select(a => (string)a!["name"]!));
        // With mtimes, the folders whose entries changed show up too.
        Assert.Contains(differences, d => (string)d["subject"]! == "/etc" && d["attributes"]!.AsArray().Any(a => (string)a!["name"]! == "mtime"));
        Assert.Equal(1, (int)json["summary"]!["added"]!);
        Assert.Equal(1, (int)json["summary"]!["removed"]!);
    }

    [Fact]
    public async Task Works_on_raw_disks_builder_never_made_in_any_format_qemu_img_reads()
    {
        var a = Path.Combine(workspace.Path, "a.raw");
        MakeExt4(a, root =>
        {
            File.WriteAllText(Path.Combine(root, "hello.txt"), "hello\n");
            Directory.CreateDirectory(Path.Combine(root, "dir"));
            File.WriteAllText(Path.Combine(root, "dir", "old"), "old\n");
            File.CreateSymbolicLink(Path.Combine(root, "link"), "hello.txt");
        });
        var b = Path.Combine(workspace.Path, "b.raw");
        File.Copy(a, b);
        Change(b, root =>
        {
            File.WriteAllText(Path.Combine(root, "dir", "new"), "new\n");
            File.Delete(Path.Combine(root, "dir", "old"));
            File.SetUnixFileMode(Path.Combine(root, "hello.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Delete(Path.Combine(root, "link"));
            File.CreateSymbolicLink(Path.Combine(root, "link"), "dir/new");
        });
        var aQcow2 = Path.Combine(workspace.Path, "a.qcow2");
        Tools.Run("qemu-img", "convert", "-f", "raw", "-O", "qcow2", a, aQcow2);

        var (code, output, error) = await Builder("diff", aQcow2, b);
        var (same, sameOutput, sameError) = await Builder("diff", a, aQcow2);

        Assert.True(code == 1, error);
        Assert.Equal(
            [
                "+ /dir/new",
                "- /dir/old",
                "~ /hello.txt: mode 0644->0600",
                "~ /link: target hello.txt->dir/new",
                "4 differences: 1 added, 1 removed, 2 changed",
            ],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(same == 0, sameError);
        Assert.Equal("", sameOutput);
        // A disk without an operating system: the one filesystem is read at /, which the notes say.
        Assert.Contains("no operating system found by inspection", error);
    }

    [Fact]
    public async Task A_file_that_is_not_a_disk_image_exits_2()
    {
        var (before, _) = await BuildBothAsync();
        var text = workspace.Write("notes.txt", "not a disk image\n");

        var (code, output, error) = await Builder("diff", before, text);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("notes.txt", error);
    }

    /// <summary>A 64 MiB raw file holding one ext4 filesystem (no partition table), filled through a loop mount.</summary>
    private void MakeExt4(string image, Action<string> fill)
    {
        using (var file = File.Create(image)) file.SetLength(64 << 20);
        Tools.Run("mkfs.ext4", "-q", "-F", image);
        Change(image, fill);
    }

    private void Change(string image, Action<string> change)
    {
        var mountPoint = Directory.CreateTempSubdirectory("builder-diff-mount-").FullName;
        Tools.Run("mount", "-o", "loop", image, mountPoint);
        try
        {
            change(mountPoint);
        }
        finally
        {
            Tools.Run("umount", mountPoint);
            Directory.Delete(mountPoint);
        }
    }
}
