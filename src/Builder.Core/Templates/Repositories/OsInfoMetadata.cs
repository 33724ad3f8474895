using System.Text.RegularExpressions;
using Builder.Templates.Store;

namespace Builder.Templates.Repositories;

/// <summary>
/// Template metadata from an index entry, without inspecting the image: the distribution and
/// version from osinfo= (libosinfo short ids such as debian12, ubuntu24.04, centosstream9), using
/// libguestfs's distribution names; the root device, and the partition that grows, from expand=; the
/// logical volume that grows from lvexpand=; the arch from arch=.
/// What cannot be told is "unknown".
/// </summary>
public static partial class OsInfoMetadata
{
    public const string Unknown = "unknown";

    public static TemplateMetadata From(IndexEntry entry)
    {
        var (distro, version) = Split(entry.OsInfo);
        return new TemplateMetadata(
            OsType: OsTypeOf(distro),
            Distro: distro,
            Version: version,
            Architecture: entry.Arch,
            RootDevice: string.IsNullOrWhiteSpace(entry.Expand) ? Unknown : entry.Expand,
            PackageManager: PackageManagerOf(distro, version),
            Description: entry.Name ?? entry.OsVersion,
            Expand: string.IsNullOrWhiteSpace(entry.Expand) ? null : entry.Expand,
            LvExpand: string.IsNullOrWhiteSpace(entry.LvExpand) ? null : entry.LvExpand);
    }

    /// <summary>The osinfo short id for metadata: the reverse of <see cref="From"/>, or null when the distribution is unknown.</summary>
    public static string? OsInfoOf(TemplateMetadata metadata)
    {
        if (metadata.Distro == Unknown) return null;
        var version = metadata.Version == Unknown ? "" : metadata.Version;
        return metadata.Distro switch
        {
            "centos" when Major(version) >= 8 => "centosstream" + version,
            "opensuse" when version.Length == 0 => "opensusetumbleweed",
            _ => metadata.Distro + version,
        };
    }

    /// <summary>("debian", "12") from "debian12"; (unknown, unknown) from null.</summary>
    public static (string Distro, string Version) Split(string? osinfo)
    {
        if (string.IsNullOrWhiteSpace(osinfo)) return (Unknown, Unknown);
        var id = osinfo.Trim().ToLowerInvariant();
        if (id.StartsWith("opensuse", StringComparison.Ordinal))
        {
            var rest = id["opensuse".Length..];
            return ("opensuse", rest.Length > 0 && char.IsAsciiDigit(rest[0]) ? rest : Unknown);
        }
        if (id.StartsWith("win", StringComparison.Ordinal)) return ("windows", id.Length > 3 ? id[3..] : Unknown);
        if (id.Split('-', 2) is [var name, var release] && name.Length > 0 && release.Length > 0) return (name, release);
        var match = Id().Match(id);
        if (!match.Success) return (id, Unknown);
        var distro = match.Groups["distro"].Value;
        var version = match.Groups["version"].Success ? match.Groups["version"].Value : Unknown;
        return (distro switch
        {
            "centosstream" => "centos",
            _ => distro,
        }, version);
    }

    private static string OsTypeOf(string distro) => distro switch
    {
        Unknown => Unknown,
        "windows" => "windows",
        "freebsd" or "netbsd" or "openbsd" => distro,
        _ => "linux",
    };

    private static string PackageManagerOf(string distro, string version) => distro switch
    {
        "debian" or "ubuntu" => "apt",
        "fedora" => "dnf",
        "centos" or "rhel" or "rocky" or "almalinux" or "ol" => Major(version) is > 0 and < 8 ? "yum" : "dnf",
        "opensuse" or "sles" => "zypper",
        "alpinelinux" => "apk",
        "archlinux" => "pacman",
        _ => Unknown,
    };

    private static int Major(string version) =>
        int.TryParse(version.Split('.')[0], out var major) ? major : 0;

    [GeneratedRegex("^(?<distro>[a-z]+?)(?<version>[0-9][0-9.]*)?$")]
    private static partial Regex Id();
}
