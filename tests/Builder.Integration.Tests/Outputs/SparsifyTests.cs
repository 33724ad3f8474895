using System.Text.Json;
using Builder.Execution;
using Builder.IntegrationTests.Caching;
using Builder.IntegrationTests.Guestfs;
using Builder.IntegrationTests.Templates;

namespace Builder.IntegrationTests.Outputs;

/// <summary>
/// Outputs are sparse by default: the finish trims every filesystem, so the blocks of deleted files
/// are not written into the image, and the build reports what that saved. output.sparsify: false
/// keeps them, which shows what trimming is worth.
/// </summary>
[Collection(DebianTemplateCollection.Name)]
public sealed class SparsifyTests(DebianTemplate debian) : IAsyncLifetime
{
    private const long Churn = 500L << 20;
    private LayerStoreCopy store = null!;

    public Task InitializeAsync()
    {
        store = new LayerStoreCopy(debian);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [Fact]
    public async Task Five_hundred_megabytes_written_and_deleted_leave_the_image_no_bigger_and_are_reported_as_saved()
    {
        const string marker = "  - write: { path: /etc/marker, content: \"marker\\n\" }\n";
        const string churn = "  - script: \"head -c 500M /dev/urandom > /root/big\"\n  - delete: /root/big\n";
        var plain = store.Recipe("plain", marker);
        var trimmed = store.Recipe("trimmed", churn + marker);
        var kept = store.Recipe("kept", churn + marker, output: ", sparsify: false");

        var (plainBuild, _) = await store.BuildAsync(plain);
        var (trimmedBuild, trimmedEvents) = await store.BuildAsync(trimmed);
        var (keptBuild, keptEvents) = await store.BuildAsync(kept);

        var baseline = Allocated(plainBuild.OutputPath!);
        var withChurn = Allocated(trimmedBuild.OutputPath!);
        var withoutTrimming = Allocated(keptBuild.OutputPath!);
        Assert.True(Math.Abs(withChurn - baseline) <= baseline * 0.05,
            $"{withChurn} bytes allocated with 500 MB written and deleted, {baseline} without those steps");
        Assert.True(withoutTrimming - baseline >= Churn * 0.9,
            $"without trimming the image is {withoutTrimming} bytes, only {withoutTrimming - baseline} more than {baseline}");
        Assert.Equal("marker\n", await store.TextAsync(trimmedBuild.OutputPath!, "/etc/marker"));

        var reported = Assert.Single(trimmedEvents.OfType<BuildSucceeded>());
        Assert.Equal(withChurn, reported.AllocatedSize);
        Assert.Equal(new FileInfo(trimmedBuild.OutputPath!).Length, reported.FileSize);
        Assert.InRange(reported.SavedByTrimming ?? 0, (long)(Churn * 0.9), Churn + (100L << 20));
        Assert.Null(Assert.Single(keptEvents.OfType<BuildSucceeded>()).SavedByTrimming);

        // Rebuilt from the cache, the finish reports what its trimming saved when it was made.
        File.Delete(trimmedBuild.OutputPath!);
        var (again, againEvents) = await store.BuildAsync(trimmed);
        Assert.All(LayerStoreCopy.LayerStates(againEvents), state => Assert.Equal("hit", state));
        Assert.Equal(reported.SavedByTrimming, Assert.Single(againEvents.OfType<BuildSucceeded>()).SavedByTrimming);
        Assert.Equal(withChurn, Allocated(again.OutputPath!));
    }

    private static long Allocated(string image)
    {
        using var info = JsonDocument.Parse(Tools.Run("qemu-img", "info", "--output=json", image));
        return info.RootElement.GetProperty("actual-size").GetInt64();
    }
}
