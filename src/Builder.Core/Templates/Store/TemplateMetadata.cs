namespace Builder.Templates.Store;

/// <summary>
/// What later steps need to know about a template without inspecting it: the operating system,
/// its architecture, where its root filesystem is, and which package manager it uses.
/// </summary>
/// <param name="Version">"12", "24.04": as the distribution numbers its releases.</param>
/// <param name="RootDevice">The root filesystem as libguestfs names it: "/dev/sda1".</param>
/// <param name="Expand">The partition that grows when a recipe's size grows the disk (a virt-builder index's
/// expand=): "/dev/sda2"; null for the last partition. Absent from metadata written before it existed.</param>
/// <param name="LvExpand">The LVM logical volume that grows into that partition (lvexpand=): "/dev/vg/root"; null for none.</param>
public sealed record TemplateMetadata(
    string OsType,
    string Distro,
    string Version,
    string Architecture,
    string RootDevice,
    string PackageManager,
    string Description,
    string? Expand = null,
    string? LvExpand = null);
