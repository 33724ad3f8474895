using System.Text.RegularExpressions;

namespace Builder.Steps.Packages;

/// <summary>dnf (Fedora, RHEL 8+) and yum (RHEL 7): weak dependencies only when asked.</summary>
public sealed partial class Dnf(string program) : PackageManager
{
    public override string Name => program;

    private string Command => $"{program} -y --setopt=timeout=30 --setopt=retries=2";

    public override string Update() => $"{Command} upgrade --refresh\n";

    public override string Install(IReadOnlyList<string> packages, bool recommends) =>
        program == "dnf"
            ? $"{Command} --setopt=install_weak_deps={(recommends ? "True" : "False")} install {Quote(packages)}\n"
            : $"{Command} install {Quote(packages)}\n";

    public override string Uninstall(IReadOnlyList<string> packages) => $"{Command} remove {Quote(packages)}\n";

    /// <summary>What dnf clean all removes: metadata and packages, all under its cache folder.</summary>
    public override IReadOnlyList<string> CacheFiles => [$"/var/cache/{program}/*"];

    protected override Regex MissingPackage => Missing();

    [GeneratedRegex("(No match for argument: |No package (?=\\S+ available))(?<package>\\S+)")]
    private static partial Regex Missing();
}

/// <summary>zypper (openSUSE, SLES).</summary>
public sealed partial class Zypper : PackageManager
{
    private const string Command = "zypper --non-interactive";

    public override string Name => "zypper";

    public override string Update() => $"{Command} refresh\n{Command} update\n";

    public override string Install(IReadOnlyList<string> packages, bool recommends) =>
        $"{Command} install {(recommends ? "--recommends" : "--no-recommends")} {Quote(packages)}\n";

    public override string Uninstall(IReadOnlyList<string> packages) => $"{Command} remove {Quote(packages)}\n";

    /// <summary>What zypper clean --all removes: raw metadata, solver caches and packages.</summary>
    public override IReadOnlyList<string> CacheFiles { get; } = ["/var/cache/zypp/*"];

    protected override Regex MissingPackage => Missing();

    [GeneratedRegex("(No provider of '|')(?<package>[^']+)' (found|not found in package names)")]
    private static partial Regex Missing();
}

/// <summary>apk (Alpine): no recommends.</summary>
public sealed partial class Apk : PackageManager
{
    public override string Name => "apk";

    public override string Update() => "apk update\napk upgrade\n";

    public override string Install(IReadOnlyList<string> packages, bool recommends) => $"apk add {Quote(packages)}\n";

    public override string Uninstall(IReadOnlyList<string> packages) => $"apk del {Quote(packages)}\n";

    public override IReadOnlyList<string> CacheFiles { get; } = ["/var/cache/apk/*"];

    protected override Regex MissingPackage => Missing();

    [GeneratedRegex("(?<package>\\S+) \\(no such package\\)")]
    private static partial Regex Missing();
}

/// <summary>pacman (Arch): refreshes the databases with every install, as Arch expects.</summary>
public sealed partial class Pacman : PackageManager
{
    public override string Name => "pacman";

    public override string Update() => "pacman -Syu --noconfirm\n";

    public override string Install(IReadOnlyList<string> packages, bool recommends) => $"pacman -Sy --noconfirm --needed {Quote(packages)}\n";

    public override string Uninstall(IReadOnlyList<string> packages) => $"pacman -R --noconfirm {Quote(packages)}\n";

    /// <summary>What pacman -Scc removes: cached packages and the sync databases.</summary>
    public override IReadOnlyList<string> CacheFiles { get; } = ["/var/cache/pacman/pkg/*", "/var/lib/pacman/sync/*"];

    protected override Regex MissingPackage => Missing();

    [GeneratedRegex("target not found: (?<package>\\S+)")]
    private static partial Regex Missing();
}
