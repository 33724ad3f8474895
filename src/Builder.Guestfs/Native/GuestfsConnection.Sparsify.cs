using System.Runtime.InteropServices.Marshalling;

namespace Builder.Guestfs.Native;

/// <summary>The calls that make a disk sparse: trimming mounted filesystems, recreating swap partitions empty.</summary>
internal sealed unsafe partial class GuestfsConnection
{
    /// <summary>Device and mount point of every filesystem mounted in the appliance.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Mountpoints() =>
        NativeMemoryHelpers.TakeHashList(CheckList(GuestfsNative.Mountpoints(Handle), "guestfs_mountpoints"));

    /// <summary>The disk's partitions, as /dev/sda1 (sysfs, no probing: far cheaper than list_filesystems).</summary>
    public string[] ListPartitions() =>
        NativeMemoryHelpers.TakeStringList(CheckList(GuestfsNative.ListPartitions(Handle), "guestfs_list_partitions"));

    /// <summary>fstrim on a mount point, the whole filesystem.</summary>
    public void Fstrim(string mountpoint)
    {
        var options = new FstrimArgv();
        Check(GuestfsNative.FstrimArgv(Handle, mountpoint, &options), "guestfs_fstrim");
    }

    public string VfsUuid(string mountable) => TakeString(GuestfsNative.VfsUuid(Handle, mountable), "guestfs_vfs_uuid");

    public string VfsLabel(string mountable) => TakeString(GuestfsNative.VfsLabel(Handle, mountable), "guestfs_vfs_label");

    public void Blkdiscard(string device) => Check(GuestfsNative.Blkdiscard(Handle, device), "guestfs_blkdiscard");

    /// <summary>mkswap, with the label and UUID given when they are not empty.</summary>
    public void Mkswap(string device, string label, string uuid)
    {
        var labelUtf8 = label.Length == 0 ? null : Utf8StringMarshaller.ConvertToUnmanaged(label);
        var uuidUtf8 = uuid.Length == 0 ? null : Utf8StringMarshaller.ConvertToUnmanaged(uuid);
        try
        {
            var options = new MkswapOptsArgv
            {
                Bitmask = (labelUtf8 == null ? 0 : MkswapOptsArgv.LabelBit) | (uuidUtf8 == null ? 0 : MkswapOptsArgv.UuidBit),
                Label = labelUtf8,
                Uuid = uuidUtf8,
            };
            Check(GuestfsNative.MkswapOptsArgv(Handle, device, &options), "guestfs_mkswap");
        }
        finally
        {
            Utf8StringMarshaller.Free(uuidUtf8);
            Utf8StringMarshaller.Free(labelUtf8);
        }
    }
}
