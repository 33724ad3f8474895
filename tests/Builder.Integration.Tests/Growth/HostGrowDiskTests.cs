using Builder.IntegrationTests.Guestfs;
using Builder.IntegrationTests.Host;
using Builder.IntegrationTests.Pipeline;

namespace Builder.IntegrationTests.Growth;

/// <summary>
/// `size:` on small raw disks made here (swap, then the filesystem that grows), with the host
/// backend and the real `builder` command: GPT and MBR, ext4, xfs and btrfs grow to the end of the
/// disk (a GPT's backup header moved there first), and a last partition that cannot grow is
/// refused with what was found on it.
/// </summary>
[Collection(HostBackendCollection.Name)]
public sealed class HostGrowDiskTests : IDisposable
{
    private const long OneGiB = 1L << 30;
    private readonly BuildWorkspace workspace = BuildWorkspace.Create("grow-host");

    public void Dispose() => workspace.Dispose();

    [Theory]
    [InlineData("gpt", "ext4")]
    [InlineData("gpt", "xfs")]
    [InlineData("dos", "btrfs")]
    public async Task A_recipe_with_only_a_size_grows_the_last_partition_and_its_filesystem(string label, string filesystem)
    {
        var data = $"data on {filesystem}\n";
        var template = TestDisks.Create(System.IO.Path.Combine(workspace.Path, "disk.raw"), label, 512, data,
            new TestPartition(64, "swap"), new TestPartition(null, filesystem));
        var templateSha256 = Tools.Sha256(template);
        workspace.Write("grow.yaml", "template: disk.raw\nsize: 1G\noutput: { path: out/grown.qcow2 }\n");

        var (code, output, error) = await BuilderProcess.RunAsync(workspace.Path, workspace.Environment, "build", "--backend", "host", "grow.yaml");

        Assert.True(code == 0, error);
        Assert.Contains($"Growing /dev/sda2 and its {filesystem} filesystem to 1 GiB", output);
        var grown = GrownDisk.Read(workspace.Output("grown.qcow2"), "qcow2", workspace.Path, "/" + TestDisks.DataFile);
        Assert.Equal((label, OneGiB, grown.UsableEnd), (grown.Label, grown.DiskSize, grown.PartitionEnd));
        if (label == "gpt") Assert.Equal(OneGiB - 33 * 512, grown.UsableEnd); // the backup table and header fill the disk's last 33 sectors
        Assert.Contains("No errors detected.", grown.Verify);
        Assert.True(grown.FilesystemSize > 850L << 20, $"the {filesystem} filesystem is {grown.FilesystemSize} bytes");
        Assert.True(grown.Check.Code == 0, grown.Check.Output);
        Assert.Equal(data, grown.Files["/" + TestDisks.DataFile]);
        Assert.Equal(templateSha256, Tools.Sha256(template));
        Assert.Empty(workspace.HostLeftovers());
    }

    [Fact]
    public async Task A_last_partition_of_swap_is_refused_naming_what_it_found()
    {
        var template = TestDisks.Create(System.IO.Path.Combine(workspace.Path, "disk.raw"), "dos", 256, "data\n",
            new TestPartition(128, "ext4"), new TestPartition(null, "swap"));
        var templateSha256 = Tools.Sha256(template);
        workspace.Write("grow.yaml", "template: disk.raw\nsize: 1G\noutput: { path: out/grown.qcow2 }\nsteps:\n  - write: { path: /x, content: x }\n");

        var (code, _, error) = await BuilderProcess.RunAsync(workspace.Path, workspace.Environment, "build", "--backend", "host", "grow.yaml");

        Assert.Equal(1, code);
        Assert.Contains("error: cannot grow the disk: this template's last partition (/dev/sda2) is swap; growing is supported for ext2/3/4, xfs, btrfs and LVM", error);
        Assert.Contains("hint: remove size: from the recipe", error);
        Assert.Equal(["grown.qcow2.build.log"], workspace.OutputEntries());
        Assert.Equal(templateSha256, Tools.Sha256(template));
        Assert.Empty(workspace.HostLeftovers());
    }
}
