using System.Text.RegularExpressions;

namespace Builder.Steps.Packages;

/// <summary>
/// apt-get for Debian and Ubuntu: noninteractive, keeping changed configuration files, no
/// recommends unless asked, a policy-rc.d so that no service starts at build time, and bounded
/// mirror timeouts. Package lists are fetched first when the template has none.
/// </summary>
public sealed partial class Apt : PackageManager
{
    private const string Prelude = """
        export DEBIAN_FRONTEND=noninteractive
        apt_get() {
          apt-get -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
            -o Acquire::Retries=2 -o Acquire::http::Timeout=30 -o Acquire::https::Timeout=30 "$@"
        }
        # No service may start at build time: it would start inside the build, not the booted guest.
        if [ ! -e /usr/sbin/policy-rc.d ]; then
          printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
          trap 'rm -f /usr/sbin/policy-rc.d' EXIT
        fi

        """;

    private const string ListsIfMissing = """
        if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages' -print -quit 2>/dev/null)" ]; then
          apt_get update
        fi

        """;

    public override string Name => "apt";

    public override string Update() => Prelude + "apt_get update\napt_get upgrade --with-new-pkgs\n";

    public override string Install(IReadOnlyList<string> packages, bool recommends) =>
        Prelude + ListsIfMissing + $"apt_get install {(recommends ? "" : "--no-install-recommends ")}{Quote(packages)}\n";

    public override string Uninstall(IReadOnlyList<string> packages) =>
        Prelude + $"apt_get purge {Quote(packages)}\napt_get autoremove --purge\n";

    /// <summary>What apt-get clean removes (downloaded .debs, the binary caches), and the package lists.</summary>
    public override IReadOnlyList<string> CacheFiles { get; } =
        ["/var/cache/apt/archives/*.deb", "/var/cache/apt/archives/partial/*", "/var/cache/apt/*.bin", "/var/lib/apt/lists/*"];

    protected override Regex MissingPackage => Missing();

    [GeneratedRegex("Unable to locate package (?<package>\\S+)|Package '(?<package>[^']+)' has no installation candidate|Package (?<package>\\S+) is not available")]
    private static partial Regex Missing();
}
