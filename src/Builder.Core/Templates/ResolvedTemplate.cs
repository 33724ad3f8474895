using Builder.Guests;
using Builder.Images;
using Builder.Templates.Store;

namespace Builder.Templates;

/// <summary>The disk image a recipe's template names, ready to be a backing file.</summary>
/// <param name="Reference">As the recipe writes it: a path or a name.</param>
/// <param name="Path">The image file, absolute.</param>
/// <param name="Digest">"sha256:…" of the image.</param>
/// <param name="Metadata">What the store knows about it; null for a plain image file.</param>
/// <param name="Disk">Its format and virtual size when the store recorded them; null when only qemu-img can tell.</param>
public sealed record ResolvedTemplate(string Reference, string Path, string Digest, TemplateMetadata? Metadata, DiskInfo? Disk = null)
{
    public static ResolvedTemplate From(string reference, StoredTemplate stored) =>
        new(reference, stored.ImagePath, stored.Digest, stored.Metadata, new DiskInfo(stored.Format, stored.VirtualSize, 0, null));

    /// <summary>How to mount the guest without inspecting it, when the metadata says where its root is.</summary>
    public GuestLayout? Layout()
    {
        if (Metadata is not { RootDevice: var root } metadata || !root.StartsWith("/dev/", StringComparison.Ordinal)) return null;
        var version = metadata.Version.Split('.');
        var major = int.TryParse(version[0], out var m) ? m : 0;
        var minor = version.Length > 1 && int.TryParse(version[1], out var n) ? n : 0;
        var info = new GuestInfo(metadata.OsType, metadata.Distro, major, minor, metadata.PackageManager, root, metadata.Architecture);
        return new GuestLayout(info, [new GuestMount("/", root)]);
    }
}

/// <summary>A recipe's template cannot be found or used; the recipe is at fault (exit 2), not the build.</summary>
public sealed class TemplateResolutionException(string message, string? hint = null) : Exception(message)
{
    public string? Hint { get; } = hint;
}

/// <summary>A template definition file is invalid; its diagnostics say where.</summary>
public sealed class TemplateDefinitionException(IReadOnlyList<Diagnostics.Diagnostic> diagnostics)
    : Exception("the template definition is invalid")
{
    public IReadOnlyList<Diagnostics.Diagnostic> Diagnostics { get; } = diagnostics;
}
