using Builder.Templates.Store;

namespace Builder.Tests.Templates;

/// <summary>The store's scratch folders: those of killed processes go, those of live ones and those being made stay.</summary>
public sealed class ScratchFoldersTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("builder-scratch-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Folder(string name, bool withLock, TimeSpan age)
    {
        var folder = Path.Combine(root, "tmp", name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "disk.raw"), "half a template");
        if (withLock) File.WriteAllText(Path.Combine(folder, ".owner.lock"), "");
        Directory.SetLastWriteTimeUtc(folder, DateTime.UtcNow - age);
        return folder;
    }

    [Fact]
    public void A_new_scratch_folder_removes_those_of_killed_processes_and_keeps_live_and_new_ones()
    {
        var killed = Folder("killed", withLock: true, TimeSpan.Zero);
        var oldWithoutLock = Folder("old", withLock: false, TimeSpan.FromHours(1));
        var beingMade = Folder("new", withLock: false, TimeSpan.Zero);
        Assert.Equal([killed, oldWithoutLock], ScratchFolders.FindAbandoned(root).Order(StringComparer.Ordinal));

        var live = ScratchFolders.Create(root);
        var next = ScratchFolders.Create(root);

        Assert.False(Directory.Exists(killed));
        Assert.False(Directory.Exists(oldWithoutLock));
        Assert.True(Directory.Exists(beingMade));
        Assert.True(Directory.Exists(live), "this process's own folder is in use");
        Assert.True(Directory.Exists(next));
        Assert.Empty(ScratchFolders.FindAbandoned(root));
        Assert.Empty(ScratchFolders.RemoveAbandoned(root));
    }
}
