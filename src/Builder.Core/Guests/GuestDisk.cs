namespace Builder.Guests;

/// <summary>A disk image to open read-write in a guest session (the build's overlay).</summary>
/// <param name="Layout">What is known about the guest without inspecting it (from the template's metadata);
/// null to inspect. A backend falls back to inspection when the layout does not fit the disk.</param>
/// <param name="Grow">Grow the last partition and what is on it to the disk's size, before the session mounts
/// the guest (the first layer of a recipe with a size); null to leave the partitions as they are.</param>
public sealed record GuestDisk(string Path, string Format, GuestLayout? Layout = null, DiskGrowth? Grow = null);

/// <summary>Where a guest's filesystems are and what it is: enough to mount it without inspection.</summary>
/// <param name="Mounts">Mount points and the devices that go there, "/" first.</param>
public sealed record GuestLayout(GuestInfo Info, IReadOnlyList<GuestMount> Mounts);

public sealed record GuestMount(string MountPoint, string Device);
