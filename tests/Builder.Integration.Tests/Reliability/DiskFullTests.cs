using System.Diagnostics;
using Builder.Execution;
using Builder.IntegrationTests.Guestfs;
using Builder.IntegrationTests.Host;
using Builder.IntegrationTests.Pipeline;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Reliability;

/// <summary>
/// The output's folder, then the store, on a 300 MB filesystem that a 350 MB upload cannot fit:
/// the build fails naming that filesystem, leaves no partial image or layer, and the store works
/// again once there is room. On each backend: in the appliance, qemu writes the overlay.
/// </summary>
public abstract class DiskFullTests : IDisposable
{
    private readonly BackendChoice backend;
    private readonly ITestOutputHelper output;
    private readonly BuildWorkspace workspace = BuildWorkspace.Create("disk-full");
    private readonly SmallFilesystem small;

    private protected DiskFullTests(BackendChoice backend, ITestOutputHelper output)
    {
        this.backend = backend;
        this.output = output;
        small = new SmallFilesystem(workspace.Path);
        WriteRandomFile(workspace.Write("files/big.bin", ""), 350L << 20);
        WriteRandomFile(workspace.Write("files/little.bin", ""), 8L << 20);
    }

    public void Dispose()
    {
        small.Dispose();
        workspace.Dispose();
        GC.SuppressFinalize(this);
    }

    private string BackendName => backend == BackendChoice.Host ? "host" : "appliance";

    [Fact]
    public async Task An_output_that_does_not_fit_fails_naming_the_full_filesystem_and_leaves_nothing_there()
    {
        workspace.Write("recipe.yaml", $$"""
            template: templates/tiny.qcow2
            size: 1G
            output: { path: {{small.Path("out/image.qcow2")}} }
            steps:
              - upload: { from: files/big.bin, to: /srv/big.bin }
            """);

        var (code, error, elapsed, _) = await BuildAsync(workspace.Environment);

        Assert.Equal(1, code);
        Assert.Contains($"error: no space left on device: the filesystem at {small.MountPoint} ({small.Device}, ext4) is full; "
            + $"it holds the output's folder ({small.Path("out")})", error);
        Assert.Contains($"hint: free space on {small.MountPoint}, or write the output elsewhere", error);
        // Only the build log: no image, no manifest, no work folder with a partial image.
        Assert.Equal(["out", "out/image.qcow2.build.log"], small.Entries());
        Assert.Empty(LeftBehind());
        Assert.Equal(workspace.TemplateSha256, Tools.Sha256(workspace.Template));
        output.WriteLine($"failed in {elapsed.TotalSeconds:0.0} s: {error}");
    }

    [Fact]
    public async Task A_store_that_fills_up_fails_naming_its_filesystem_keeps_no_partial_layer_and_works_once_there_is_room()
    {
        var store = small.Path("store");
        var environment = new Dictionary<string, string> { ["BUILDER_STORE"] = store };
        const string recipe = """
            template: templates/tiny.qcow2
            size: 1G
            output: { path: out/image.qcow2 }
            steps:
              - write: { path: /etc/motd, content: "before the upload\n" }
                checkpoint: true
              - upload: { from: files/FILE, to: /srv/data.bin }
            """;
        workspace.Write("recipe.yaml", recipe.Replace("FILE", "big.bin"));

        var (code, error, elapsed, _) = await BuildAsync(environment);

        Assert.Equal(1, code);
        Assert.Contains($"error: no space left on device: the filesystem at {small.MountPoint} ({small.Device}, ext4) is full; "
            + $"it holds the layer cache ({small.Path($"store/layers/{BackendName}")})", error);
        Assert.Contains("BUILDER_STORE", error);
        output.WriteLine($"failed in {elapsed.TotalSeconds:0.0} s: {error}");
        // The first layer was published before the upload; the second is not there, not even half-built.
        var layers = small.Entries().Where(e => e.StartsWith($"store/layers/{BackendName}/", StringComparison.Ordinal) && e.Count(c => c == '/') == 3).ToList();
        Assert.Single(layers);
        Assert.DoesNotContain(small.Entries(), e => e.Contains(".building", StringComparison.Ordinal) || e.EndsWith(".tmp", StringComparison.Ordinal));
        // No session file or folder is left (only the cleaner's lock): teardown released everything though the store was full.
        if (backend == BackendChoice.Host)
            Assert.Equal([".clean.lock"], Directory.EnumerateFileSystemEntries(small.Path("store/host-sessions")).Select(Path.GetFileName).ToList());
        Assert.Equal(["image.qcow2.build.log"], workspace.OutputEntries());
        Assert.Empty(LeftBehind());

        // With an upload that fits, the same store builds: the first layer comes from the cache.
        workspace.Write("recipe.yaml", recipe.Replace("FILE", "little.bin"));
        var (again, againError, againElapsed, progress) = await BuildAsync(environment);
        Assert.True(again == 0, againError);
        Assert.True(File.Exists(workspace.Output("image.qcow2")));
        Assert.Contains(progress.Split('\n'), line => line.Contains("Layer 1/2 (step 1", StringComparison.Ordinal) && line.EndsWith(": cached", StringComparison.Ordinal));
        output.WriteLine($"then built in {againElapsed.TotalSeconds:0.0} s with layer 1 from the cache");
        Assert.Equal(workspace.TemplateSha256, Tools.Sha256(workspace.Template));
    }

    /// <summary>Mounts, loop devices and daemons of the builds, under the workspace (the small filesystem's own mount aside).</summary>
    private IReadOnlyList<string> LeftBehind() =>
        [.. workspace.HostLeftovers().Where(l => l != $"mount {small.MountPoint}" && !l.EndsWith("small-filesystem.img", StringComparison.Ordinal)),
         .. HostTools.LeftBehind(small.Path("store"), small.Path("out"))];

    /// <summary>builder build recipe.yaml on the backend: exit code, standard error, time taken and the progress lines.</summary>
    private async Task<(int Code, string Error, TimeSpan Elapsed, string Progress)> BuildAsync(IReadOnlyDictionary<string, string> environment)
    {
        var stopwatch = Stopwatch.StartNew();
        var (code, progress, error) = await BuilderProcess.RunAsync(workspace.Path, environment, "build", "recipe.yaml", "--backend", BackendName);
        return (code, error, stopwatch.Elapsed, progress.Replace("\r", ""));
    }

    /// <summary>Bytes that neither qcow2 nor a sparse copy can shrink.</summary>
    private static void WriteRandomFile(string path, long size)
    {
        var buffer = new byte[1 << 20];
        using var file = File.Create(path);
        for (long written = 0; written < size; written += buffer.Length)
        {
            Random.Shared.NextBytes(buffer);
            file.Write(buffer);
        }
    }
}

[Collection(HostBackendCollection.Name)]
public sealed class HostDiskFullTests(ITestOutputHelper output) : DiskFullTests(BackendChoice.Host, output);

/// <summary>The appliance: qemu writes the overlay, so a full output folder is qemu's ENOSPC.</summary>
[Collection(ApplianceCollection.Name)]
public sealed class ApplianceDiskFullTests(ITestOutputHelper output) : DiskFullTests(BackendChoice.Appliance, output);
