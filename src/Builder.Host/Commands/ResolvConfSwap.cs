using Builder.Host.Files;
using Builder.Host.Native;

namespace Builder.Host.Commands;

/// <summary>
/// For a command with the network: the guest's /etc/resolv.conf (a file, a symlink, dangling or
/// not) is renamed aside in /etc, the host's resolver configuration is written in its place, and on
/// <see cref="Restore"/> whatever the command left there is removed and the guest's own is renamed
/// back. All of it through an fd of the guest's /etc and single names, never following a symlink.
/// </summary>
internal sealed class ResolvConfSwap : IDisposable
{
    private const string Name = "resolv.conf";
    private const string HostResolvConf = "/etc/resolv.conf";

    private readonly FileDescriptor _etc;
    private readonly string? _saved;

    private ResolvConfSwap(FileDescriptor etc, string? saved)
    {
        _etc = etc;
        _saved = saved;
    }

    /// <summary>Puts the host's resolv.conf in place; null when the guest has no /etc.</summary>
    public static ResolvConfSwap? Apply(GuestRoot root, string nonce)
    {
        var etc = root.TryOpen("/etc", OpenFlags.Path | OpenFlags.Directory, out _);
        if (etc is null) return null;
        string? saved = null;
        var created = false;
        try
        {
            if (FileStatus.TryOf(etc, Name, out _) is not null)
            {
                var aside = $".{Name}.builder-{nonce}";
                Syscalls.Check(LibC.Renameat(etc.Number, Name, etc.Number, aside), "rename");
                saved = aside;
            }
            using var file = Syscalls.Openat2(etc, Name, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive | OpenFlags.NoFollow,
                0x1A4, ResolveFlags.Beneath | ResolveFlags.NoSymlinks);
            created = true;
            Syscalls.Check(LibC.Chmod(file.ProcPath, 0x1A4), "chmod");
            Syscalls.WriteAll(file, File.Exists(HostResolvConf) ? File.ReadAllBytes(HostResolvConf) : [], CancellationToken.None);
            return new ResolvConfSwap(etc, saved);
        }
        catch
        {
            if (saved is not null || created)
            {
                try { new ResolvConfSwap(etc, saved).Restore(); }
                catch (NativeException) { }
            }
            etc.Dispose();
            throw;
        }
    }

    /// <summary>Removes what is at /etc/resolv.conf now and renames the guest's own back.</summary>
    public void Restore()
    {
        GuestTreeRemover.RemoveEntry(_etc, Name, CancellationToken.None);
        if (_saved is not null) Syscalls.Check(LibC.Renameat(_etc.Number, _saved, _etc.Number, Name), "rename");
    }

    public void Dispose() => _etc.Dispose();
}
