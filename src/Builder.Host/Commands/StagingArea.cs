using Builder.Host.Files;
using Builder.Host.Mounting;
using Builder.Host.Native;
using Builder.Host.Sessions;

namespace Builder.Host.Commands;

/// <summary>
/// /run/builder in the guest: a tmpfs (0700, 64 MiB) mounted for the session on the first command,
/// holding each command's script and wrapper in a folder of its own, removed when the command
/// ends. Nothing of a command reaches the guest's disk. At teardown the tmpfs is unmounted and the
/// folders this session had to create for it (/run/builder, even /run) are removed.
/// </summary>
internal sealed class StagingArea(HostSession session, GuestRoot root)
{
    public const string Folder = "/run/builder";

    private readonly List<string> _created = [];
    private SessionResource? _mount;

    public async Task EnsureAsync()
    {
        if (_mount is not null) return;
        foreach (var path in new[] { "/run", Folder })
        {
            if (root.Lstat(path) is not null) continue;
            new GuestFiles(root).Mkdir(path);
            _created.Insert(0, path);
        }
        using var target = root.Open(Folder, OpenFlags.Path | OpenFlags.Directory);
        _mount = await FilesystemMount.MountTmpfsAsync(session, target, "mode=0700,size=64m").ConfigureAwait(false);
    }

    /// <summary>A new folder for one command, on the tmpfs; its guest path.</summary>
    public string CreateCommandFolder(string nonce)
    {
        var path = $"{Folder}/{nonce}";
        using var parent = root.Open(Folder, OpenFlags.Path | OpenFlags.Directory);
        Syscalls.Check(LibC.Mkdirat(parent.Number, nonce, 0x1C0), "mkdir");
        return path;
    }

    public void RemoveCommandFolder(string path) => GuestTreeRemover.Delete(root, path, CancellationToken.None);

    /// <summary>Unmounts the tmpfs (lazily when a process still holds it) and removes the folders made for it.</summary>
    public async Task TeardownAsync()
    {
        if (_mount is not { } mount) return;
        _mount = null;
        await session.ReleaseAsync(mount).ConfigureAwait(false);
        foreach (var path in _created)
        {
            var parts = GuestPathParts.Of(path);
            using var parent = root.TryOpenParent(parts, out _);
            if (parent is not null) LibC.Unlinkat(parent.Number, parts.Name!, AtFlags.RemoveDirectory);
        }
        _created.Clear();
    }
}
