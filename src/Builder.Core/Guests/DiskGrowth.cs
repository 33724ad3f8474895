namespace Builder.Guests;

/// <summary>
/// A request to grow what is on a disk to the disk's virtual size, as virt-resize's --expand and
/// --lv-expand do for virt-builder's --size: the last partition grows to the end of the disk, then
/// the filesystem on it (or the LVM physical volume, and the logical volume named, and its filesystem).
/// </summary>
/// <param name="Size">The disk's virtual size in bytes: what it grows to, for messages.</param>
/// <param name="Partition">The partition to expand as libguestfs names it ("/dev/sda2", a template's expand=);
/// null for the last partition. Only the last partition can grow.</param>
/// <param name="LogicalVolume">The LVM logical volume to grow into the expanded physical volume ("/dev/vg/root",
/// a template's lvexpand=); null for none.</param>
public sealed record DiskGrowth(long Size, string? Partition = null, string? LogicalVolume = null);
