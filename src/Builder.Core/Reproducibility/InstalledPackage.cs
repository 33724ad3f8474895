namespace Builder.Reproducibility;

/// <summary>One installed package, as the guest's package database records it.</summary>
/// <param name="Arch">Its architecture as the package manager names it: amd64, x86_64, noarch, all.</param>
public sealed record InstalledPackage(string Name, string Version, string Arch);

/// <summary>
/// The packages installed in an image, sorted by name (then architecture), and where they were
/// read from; or, when they could not be listed, why not.
/// </summary>
/// <param name="From">"dpkg", "apk" or "rpm"; null when there is no list.</param>
/// <param name="Packages">Null when there is no list.</param>
/// <param name="Omitted">Why there is no list; null when there is one.</param>
public sealed record PackageList(string? From, IReadOnlyList<InstalledPackage>? Packages, string? Omitted)
{
    public static PackageList Of(string from, IEnumerable<InstalledPackage> packages) =>
        new(from, packages.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Arch, StringComparer.Ordinal).ToList(), null);

    public static PackageList None(string why) => new(null, null, why);
}
