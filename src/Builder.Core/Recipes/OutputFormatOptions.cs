using Builder.Images;

namespace Builder.Recipes;

/// <summary>
/// How Builder writes one output format, with defaults for the hypervisors that read it. <see cref="All"/>
/// is the one table of formats: the recipe loader checks subformats and compression against it,
/// the emit passes its qemu-img options, and the schema and README describe it.
/// </summary>
/// <param name="Extension">The default output path's extension: out/NAME.EXTENSION.</param>
/// <param name="For">The hypervisors and platforms the defaults suit.</param>
/// <param name="Subformats">What output.subformat may say, the default first; empty when the format has none.</param>
/// <param name="Compressible">output.compress: true is allowed (qemu-img convert -c).</param>
/// <param name="Streamable">build -o - (BuildOptions.OutputStream) may write it: raw and qcow2, what upload pipelines take.</param>
/// <param name="OptionsTemplate">qemu-img's creation options (-o), with "{subformat}" standing for the chosen subformat; null for none.</param>
/// <param name="Unreproducible">What qemu-img writes anew into every file of this format, so output.reproducible cannot hold; null when nothing.</param>
public sealed record OutputFormatOptions(
    ImageFormat Format, string Extension, string For, IReadOnlyList<string> Subformats, bool Compressible, bool Streamable, string? OptionsTemplate,
    string? Unreproducible = null)
{
    public static IReadOnlyList<OutputFormatOptions> All { get; } =
    [
        new(ImageFormat.Qcow2, "qcow2", "QEMU/KVM, libvirt, OpenStack, Proxmox", [], Compressible: true, Streamable: true, "compat=1.1"),
        new(ImageFormat.Raw, "raw", "any hypervisor, dd to a disk, cloud imports of raw disks", [], Compressible: false, Streamable: true, null),
        new(ImageFormat.Vmdk, "vmdk", "VMware vSphere and ESXi, OVA packages", ["streamOptimized", "monolithicSparse"],
            Compressible: false, Streamable: false, "subformat={subformat}", "a random content id (CID) in its descriptor"),
        new(ImageFormat.Vhdx, "vhdx", "Microsoft Hyper-V", ["dynamic", "fixed"], Compressible: false, Streamable: false, "subformat={subformat}",
            "random GUIDs in its headers"),
        // force_size keeps the exact virtual size instead of rounding it to a CHS geometry; Azure takes only fixed VHDs of a whole number of MiB.
        new(ImageFormat.Vpc, "vhd", "Microsoft Azure (fixed), Virtual PC", ["fixed", "dynamic"],
            Compressible: false, Streamable: false, "subformat={subformat},force_size=on", "its creation time and a random UUID in its footer"),
    ];

    public static OutputFormatOptions Of(ImageFormat format) => All.Single(o => o.Format == format);

    public string? DefaultSubformat => Subformats.Count > 0 ? Subformats[0] : null;

    /// <summary>The qemu-img -o options for <paramref name="subformat"/> (the default when null); null when there are none.</summary>
    public string? CreationOptions(string? subformat) => OptionsTemplate?.Replace("{subformat}", subformat ?? DefaultSubformat, StringComparison.Ordinal);

    /// <summary>What qemu-img convert writes: this format, its options for <paramref name="subformat"/>, compressed or not.</summary>
    public ConvertTarget Target(string? subformat, bool compress) => new(Format.Name(), CreationOptions(subformat), compress);
}
