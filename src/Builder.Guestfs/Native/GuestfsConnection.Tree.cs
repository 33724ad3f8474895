namespace Builder.Guestfs.Native;

/// <summary>Remounting the guest's filesystems read-only while a tree listing reads every file, so no access time changes.</summary>
internal sealed unsafe partial class GuestfsConnection
{
    /// <summary>Whether the filesystem at the mount point is mounted read-only.</summary>
    public bool IsReadOnly(string mountpoint)
    {
        var stat = GuestfsNative.Statvfs(Handle, mountpoint);
        if (stat == null) throw Error("guestfs_statvfs");
        try { return (stat->Flag & StatVfs.ReadOnly) != 0; }
        finally { GuestfsNative.FreeStatvfs(stat); }
    }

    /// <summary>guestfs_remount: the same filesystem, read-only or read-write.</summary>
    public void Remount(string mountpoint, bool writable)
    {
        var options = new RemountArgv { Bitmask = RemountArgv.RwBit, Rw = writable ? 1 : 0 };
        Check(GuestfsNative.RemountArgv(Handle, mountpoint, &options), "guestfs_remount");
    }
}
