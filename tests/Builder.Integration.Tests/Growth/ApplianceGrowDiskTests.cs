using System.Diagnostics;
using System.Globalization;
using Builder.Execution;
using Builder.IntegrationTests.Guestfs;
using Builder.Recipes;
using Builder.Templates.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.IntegrationTests.Growth;

/// <summary>
/// `size:` on a stored template whose metadata says, as a virt-builder index's expand= and
/// lvexpand= do, which partition and LVM logical volume grow: the appliance grows the partition,
/// the physical volume, the logical volume and its xfs filesystem.
/// </summary>
[Collection(ApplianceCollection.Name)]
public sealed class ApplianceGrowDiskTests : IDisposable
{
    private readonly TestWorkspace workspace = TestWorkspace.Create("grow-lvm");

    public void Dispose() => workspace.Dispose();

    [Fact]
    public async Task The_logical_volume_named_by_lvexpand_grows_with_its_filesystem()
    {
        var image = workspace.File("lvm.raw");
        using (var file = File.Create(image)) file.SetLength(600L << 20);
        Guestfish("-a", image, "run", ":", "part-disk", "/dev/sda", "mbr", ":", "pvcreate", "/dev/sda1", ":", "vgcreate", "vg", "/dev/sda1",
            ":", "lvcreate-free", "root", "vg", "100", ":", "mkfs", "xfs", "/dev/vg/root", ":", "mount", "/dev/vg/root", "/",
            ":", "write", "/data", "on the logical volume\n");
        using var services = new ServiceCollection().AddBuilder(workspace.File("store")).BuildServiceProvider();
        var metadata = new TemplateMetadata("linux", "unknown", "unknown", "x86_64", "/dev/vg/root", "unknown", "LVM test disk",
            Expand: "/dev/sda1", LvExpand: "/dev/vg/root");
        var stored = await services.GetRequiredService<ITemplateStore>().PublishAsync("lvm-grow", image, "raw", metadata, "test", "test", null, CancellationToken.None);
        var recipe = workspace.File("recipe.yaml");
        File.WriteAllText(recipe, "template: lvm-grow\nsize: 1G\noutput: { path: out/grown.qcow2 }\nsteps:\n  - write: { path: /grown, content: \"yes\\n\" }\n");

        var loaded = services.GetRequiredService<RecipeLoader>().Load(recipe);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
        var events = new RecordingEvents();
        var result = await services.GetRequiredService<IImageBuilder>().BuildAsync(loaded.Recipe!, new BuildOptions(Backend: BackendChoice.Appliance),
            new Collect(events), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error?.Message + "\n" + result.Error?.Hint);
        Assert.Contains(events.All, e => e is PhaseStarted
        {
            Phase: "grow", Description: "Growing /dev/sda1 (LVM physical volume), /dev/vg/root and its xfs filesystem to 1 GiB",
        });
        var read = Guestfish("--ro", "--format=qcow2", "-a", result.OutputPath!, "run", ":", "mount", "/dev/vg/root", "/",
            ":", "cat", "/data", ":", "cat", "/grown", ":", "statvfs", "/");
        Assert.StartsWith("on the logical volume\n\nyes\n\n", read); // guestfish ends each file it prints with a newline of its own
        Assert.True(Field(read, "blocks") * Field(read, "frsize") > 900L << 20, read);
        Assert.Equal(stored.Digest, "sha256:" + Tools.Sha256(stored.ImagePath));
    }

    /// <summary>statvfs's "name: value" line.</summary>
    private static long Field(string statvfs, string name) =>
        long.Parse(statvfs.Split('\n').Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim(), CultureInfo.InvariantCulture);

    /// <summary>guestfish in the appliance as the backend runs it here (direct, TCG); its standard output.</summary>
    private static string Guestfish(params string[] arguments)
    {
        var start = new ProcessStartInfo("guestfish") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["LIBGUESTFS_BACKEND"] = "direct";
        start.Environment["LIBGUESTFS_BACKEND_SETTINGS"] = "force_tcg";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"guestfish {string.Join(' ', arguments)}: {error.Result}");
        return output;
    }

    private sealed class Collect(RecordingEvents events) : IProgress<BuildEvent>
    {
        public void Report(BuildEvent value) => events.Emit(value);
    }
}
