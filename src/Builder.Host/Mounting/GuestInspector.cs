using System.Globalization;
using System.Text;
using Builder.Guests;
using Builder.Host.Files;
using Builder.Host.Native;

namespace Builder.Host.Mounting;

/// <summary>
/// What libguestfs inspection reports, read from the mounted guest: os-release's ID (named as
/// libguestfs names distributions) and VERSION_ID, the package manager whose program is there, the
/// architecture from the ELF header of /bin/sh. Files are read through the rooted resolver.
/// </summary>
internal static class GuestInspector
{
    private static readonly (string Program, string Manager)[] PackageManagers =
    [
        ("apt-get", "apt"), ("dnf", "dnf"), ("yum", "yum"), ("zypper", "zypper"), ("apk", "apk"), ("pacman", "pacman"),
    ];

    private static readonly string[] ProgramFolders = ["/usr/bin", "/usr/sbin", "/bin", "/sbin"];

    public static GuestInfo Inspect(GuestRoot root, string rootDevice)
    {
        var release = OsRelease(root);
        var distro = Distro(release.GetValueOrDefault("ID"));
        var (major, minor) = Version(release.GetValueOrDefault("VERSION_ID"));
        if (distro == "debian" && minor == 0 && ReadText(root, "/etc/debian_version") is { } debianVersion)
        {
            var (debianMajor, debianMinor) = Version(debianVersion.Trim());
            if (debianMajor == major) minor = debianMinor;
        }
        return new GuestInfo("linux", distro, major, minor, PackageManager(root, distro), rootDevice, Architecture(root));
    }

    /// <summary>Whether the filesystem looks like a Linux root: it has /etc/fstab.</summary>
    public static bool IsRoot(GuestRoot root) => root.TryOpen("/etc/fstab", OpenFlags.Path, out _) is { } fd && Dispose(fd);

    public static string? ReadText(GuestRoot root, string path) => ReadBytes(root, path) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    private static byte[]? ReadBytes(GuestRoot root, string path)
    {
        try
        {
            return new GuestFiles(root).ReadFile(path, CancellationToken.None);
        }
        catch (Exception e) when (e is NativeException or NotARegularFileException)
        {
            return null;
        }
    }

    private static Dictionary<string, string> OsRelease(GuestRoot root)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var text = ReadText(root, "/etc/os-release") ?? ReadText(root, "/usr/lib/os-release") ?? "";
        foreach (var line in text.Split('\n'))
        {
            var pair = line.Trim().Split('=', 2);
            if (pair.Length == 2 && !pair[0].StartsWith('#')) values[pair[0]] = pair[1].Trim().Trim('"', '\'');
        }
        return values;
    }

    /// <summary>libguestfs's names: "arch" is archlinux, "alpine" alpinelinux, "opensuse-leap" opensuse.</summary>
    private static string Distro(string? id) => id?.ToLowerInvariant() switch
    {
        null or "" => "unknown",
        "arch" => "archlinux",
        "alpine" => "alpinelinux",
        "opensuse" or "opensuse-leap" or "opensuse-tumbleweed" => "opensuse",
        "sles" or "sled" => "sles",
        "ol" => "oraclelinux",
        "rocky" => "rocky",
        "almalinux" => "alma",
        var other => other,
    };

    private static (int Major, int Minor) Version(string? text)
    {
        var parts = (text ?? "").Split('.');
        static int Number(string part) =>
            int.TryParse(new string(part.TakeWhile(char.IsAsciiDigit).ToArray()), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        return (Number(parts[0]), parts.Length > 1 ? Number(parts[1]) : 0);
    }

    /// <summary>The first package manager whose program is in the guest; else what the distribution uses, as libguestfs decides it.</summary>
    private static string PackageManager(GuestRoot root, string distro)
    {
        foreach (var (program, manager) in PackageManagers)
            if (ProgramFolders.Any(folder => root.TryOpen($"{folder}/{program}", OpenFlags.Path, out _) is { } fd && Dispose(fd)))
                return manager;
        return distro switch
        {
            "debian" or "ubuntu" or "linuxmint" => "apt",
            "fedora" or "rhel" or "centos" or "rocky" or "alma" or "oraclelinux" => "dnf",
            "opensuse" or "sles" => "zypper",
            "alpinelinux" => "apk",
            "archlinux" => "pacman",
            _ => "unknown",
        };
    }

    /// <summary>e_machine (and, for ppc64, the byte order) of /bin/sh or /usr/bin/sh, in libguestfs's names.</summary>
    private static string Architecture(GuestRoot root)
    {
        foreach (var shell in new[] { "/bin/sh", "/usr/bin/sh" })
        {
            if (ReadBytes(root, shell) is not { Length: >= 20 } header) continue;
            if (header[0] != 0x7F || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F') continue;
            var littleEndian = header[5] == 1;
            var machine = littleEndian ? header[18] | (header[19] << 8) : (header[18] << 8) | header[19];
            return machine switch
            {
                0x3E => "x86_64",
                0xB7 => "aarch64",
                0x03 => "i386",
                0x28 => "arm",
                0xF3 => header[4] == 2 ? "riscv64" : "riscv32",
                0x15 => littleEndian ? "ppc64le" : "ppc64",
                0x14 => "ppc",
                0x16 => "s390x",
                0x08 => "mips",
                _ => "unknown",
            };
        }
        return "unknown";
    }

    private static bool Dispose(FileDescriptor fd)
    {
        fd.Dispose();
        return true;
    }
}
