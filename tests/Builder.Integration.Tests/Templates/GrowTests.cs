using System.Text.Json;
using Builder.Execution;
using Builder.IntegrationTests.Growth;
using Builder.IntegrationTests.Guestfs;

namespace Builder.IntegrationTests.Templates;

/// <summary>
/// `size: 4G` on the 2 GiB debian-12 template, on each backend: the disk, its root partition and
/// its ext4 filesystem grow, the recipe's file is there, the partition keeps its start and boot
/// flag, the filesystem checks clean, and (once) the grown image boots.
/// </summary>
public abstract class GrowTests(DebianTemplate debian, BackendChoice backend) : IAsyncLifetime
{
    private const long FourGiB = 4L << 30;
    private static readonly string Marker = "grown-" + Guid.NewGuid().ToString("N")[..10];
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static readonly Dictionary<BackendChoice, (RecipeRun Run, GrownDisk Disk)> Built = [];

    private protected RecipeRun Run { get; private set; } = null!;

    private protected GrownDisk Disk { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (!Built.TryGetValue(backend, out var built))
            {
                var run = await RecipeRun.BuildAsync(debian, backend, $$"""
                      - write: { path: /root/marker, content: "{{Marker}}\n" }
                      - hostname: grown
                    """, size: "4G");
                Assert.True(run.Result.Succeeded, run.Result.Error?.Message + "\n" + run.Result.Error?.Hint);
                built = Built[backend] = (run, GrownDisk.Read(run.Output, "qcow2", run.Folder, "/root/marker", "/etc/hostname"));
            }
            (Run, Disk) = built;
        }
        finally
        {
            Once.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void The_root_filesystem_grows_past_3_8_GiB_with_the_data_intact()
    {
        var info = JsonDocument.Parse(Tools.Run("qemu-img", "info", "-U", "--output=json", Run.Output)).RootElement;

        Assert.Equal(FourGiB, info.GetProperty("virtual-size").GetInt64());
        Assert.True(Disk.FilesystemSize >= (long)(3.8 * (1L << 30)), $"the root filesystem is {Disk.FilesystemSize} bytes");
        Assert.Equal(("ext4", $"{Marker}\n", "grown\n"), (Disk.Type, Disk.Files["/root/marker"], Disk.Files["/etc/hostname"]));
        Assert.True(Disk.Check.Code == 0, Disk.Check.Output);
        Assert.Equal(debian.Template.Digest, "sha256:" + Tools.Sha256(debian.Template.ImagePath));
    }

    [Fact]
    public void The_root_partition_reaches_the_end_of_the_disk_and_keeps_its_boot_flag()
    {
        Assert.Equal(("dos", FourGiB, FourGiB), (Disk.Label, Disk.DiskSize, Disk.PartitionEnd));
        Assert.True(Disk.Bootable);
        Assert.Contains(Run.Events, e => e is PhaseStarted { Phase: "grow", Description: "Growing /dev/sda1 and its ext4 filesystem to 4 GiB" });
    }
}

[Collection(DebianTemplateCollection.Name)]
public sealed class ApplianceGrowTests(DebianTemplate debian) : GrowTests(debian, BackendChoice.Appliance)
{
    /// <summary>One boot (TCG is slow): of the image the appliance grew with parted, as virt-resize would.</summary>
    [Fact]
    public async Task The_grown_image_boots_to_a_login_prompt()
    {
        using var vm = SerialConsoleVm.Boot(Run.Output, "qcow2");

        await vm.WaitForAsync("grown login:", TimeSpan.FromMinutes(4));
    }
}

[Collection(DebianTemplateCollection.Name)]
public sealed class HostGrowTests(DebianTemplate debian) : GrowTests(debian, BackendChoice.Host);
