using Builder.Execution;
using Builder.Images;
using Builder.IntegrationTests.Guestfs;
using Builder.Storage;
using Builder.Templates.Store;

namespace Builder.IntegrationTests.Templates;

/// <summary>The store on disk: content-addressed, read-only, atomic, locked per name.</summary>
public sealed class TemplateStoreTests : IDisposable
{
    private static readonly TemplateMetadata Metadata = new("linux", "debian", "12", "x86_64", "/dev/sda1", "apt", "tiny");

    private readonly string root = Directory.CreateTempSubdirectory("builder-store-test-").FullName;
    private readonly TemplateStore store;

    public TemplateStoreTests() => store = new TemplateStore(new QemuImg(), new StoreLocation(root));

    public void Dispose() => TemplateStore.DeleteTree(root);

    private string TinyImage()
    {
        var image = Path.Combine(store.CreateScratchFolder(), "image.qcow2");
        Tools.Run(Path.Combine(Tools.RepositoryRoot, "templates", "tiny", "build"), image);
        return image;
    }

    [Fact]
    public async Task Publishing_moves_the_image_in_read_only_under_its_sha256_and_names_it()
    {
        var image = TinyImage();
        var sha256 = Tools.Sha256(image);

        var stored = await store.PublishAsync("tiny", image, "qcow2", Metadata, "key-1", "test", null, CancellationToken.None);

        Assert.False(File.Exists(image));
        Assert.Equal("sha256:" + sha256, stored.Digest);
        Assert.Equal(Path.Combine(root, "templates", sha256, "image.qcow2"), stored.ImagePath);
        Assert.Equal(sha256, Tools.Sha256(stored.ImagePath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(stored.ImagePath));
        Assert.Equal(256L << 20, stored.VirtualSize);
        Assert.Equal(Metadata, store.Find("tiny")!.Metadata);
        Assert.Equal(["tiny"], store.List().Select(t => t.Name));
    }

    [Fact]
    public async Task The_same_bytes_published_under_two_names_are_stored_once()
    {
        var first = TinyImage();
        var second = Path.Combine(store.CreateScratchFolder(), "copy.qcow2");
        File.Copy(first, second);

        var a = await store.PublishAsync("tiny-a", first, "qcow2", Metadata, "a", "test", null, CancellationToken.None);
        var b = await store.PublishAsync("tiny-b", second, "qcow2", Metadata, "b", "test", null, CancellationToken.None);

        Assert.Equal(a.ImagePath, b.ImagePath);
        Assert.Single(Directory.EnumerateDirectories(Path.Combine(root, "templates")));
        Assert.False(File.Exists(second));
    }

    [Fact]
    public async Task A_second_locker_waits_says_so_and_gets_the_lock_when_the_first_lets_go()
    {
        var events = new RecordingEvents();
        var first = await store.LockAsync("tiny", IBuildEvents.None, CancellationToken.None);

        var second = store.LockAsync("tiny", events, CancellationToken.None);
        await Task.Delay(1000);
        Assert.False(second.IsCompleted);
        Assert.Contains(events.OfType<Notice>(), n => n.Message == "waiting for another builder process working on template tiny");

        first.Dispose();
        using var acquired = await second.WaitAsync(TimeSpan.FromSeconds(10));
        var other = await store.LockAsync("other-name", IBuildEvents.None, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        other.Dispose();
    }

    [Fact]
    public void A_name_pointing_at_a_missing_image_is_not_found()
    {
        Directory.CreateDirectory(Path.Combine(root, "refs"));
        File.WriteAllText(Path.Combine(root, "refs", "ghost.json"),
            "{\"digest\":\"sha256:" + new string('0', 64) + "\",\"source-key\":\"k\",\"source\":\"s\",\"created\":\"2026-01-01T00:00:00Z\"}");

        Assert.Null(store.Find("ghost"));
        Assert.Empty(store.List());
    }
}
