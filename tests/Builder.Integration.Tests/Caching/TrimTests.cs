using Builder.IntegrationTests.Templates;

namespace Builder.IntegrationTests.Caching;

/// <summary>The finish trims the guest's root filesystem: blocks of deleted files are not written into the image.</summary>
[Collection(DebianTemplateCollection.Name)]
public sealed class TrimTests(DebianTemplate debian) : IAsyncLifetime
{
    private LayerStoreCopy store = null!;

    public Task InitializeAsync()
    {
        store = new LayerStoreCopy(debian);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [Fact]
    public async Task Two_hundred_megabytes_written_and_deleted_leave_the_image_no_bigger()
    {
        var plain = store.Recipe("plain", "  - script: \"echo plain > /etc/marker\"\n");
        var churn = store.Recipe("churn",
            "  - script: \"head -c 200M /dev/urandom > /root/big && sync && rm /root/big && echo churn > /etc/marker\"\n");

        var (withoutChurn, _) = await store.BuildAsync(plain);
        var (withChurn, _) = await store.BuildAsync(churn);

        var baseline = new FileInfo(withoutChurn.OutputPath!).Length;
        var churned = new FileInfo(withChurn.OutputPath!).Length;
        Assert.True(churned < baseline * 1.05, $"{churned} bytes with 200 MB written and deleted, {baseline} without");
        Assert.Equal("churn\n", await store.TextAsync(withChurn.OutputPath!, "/etc/marker"));
    }
}
