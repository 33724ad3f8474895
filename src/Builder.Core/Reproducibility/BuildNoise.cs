using Builder.Guests;

namespace Builder.Reproducibility;

/// <summary>
/// What a build leaves in the guest that differs from one build to the next and that no one needs
/// in an image: logs of the package managers, caches that record inode numbers or times, random
/// seeds. A reproducible output's finish removes them (the README lists them, and says why each
/// goes); the seal then takes care of timestamps and filesystem layout.
/// </summary>
public static class BuildNoise
{
    /// <summary>Guest paths and globs, each with why it differs between builds.</summary>
    public static IReadOnlyList<(string Pattern, string Why)> Paths { get; } =
    [
        ("/var/lib/systemd/random-seed", "the kernel's random pool at the last shutdown, written by systemd"),
        ("/var/lib/urandom/random-seed", "the same, written by sysvinit's urandom script"),
        ("/var/log/apt/*", "apt's history and terminal logs, with the start and end time of every run"),
        ("/var/log/dpkg.log", "dpkg's log, one timestamped line per package state change"),
        ("/var/log/alternatives.log", "update-alternatives' log, timestamped"),
        ("/var/log/bootstrap.log", "the bootstrap tool's log"),
        ("/var/cache/ldconfig/aux-cache", "ldconfig's cache of inode numbers and change times"),
        ("/var/cache/debconf/*-old", "debconf's backups from before the last change"),
        ("/var/lib/dpkg/*-old", "dpkg's backups from before the last change"),
        ("/var/cache/man/index.db", "man-db's index, which records file times"),
        ("/var/cache/man/*/index.db", "man-db's per-language indexes"),
        ("/var/cache/fontconfig/*", "fontconfig's caches, which record folder times"),
    ];

    public static async Task RemoveAsync(IGuest guest, CancellationToken cancellationToken)
    {
        foreach (var (pattern, _) in Paths)
            foreach (var path in await guest.GlobAsync(pattern, cancellationToken))
                await guest.DeleteAsync(path, cancellationToken);
    }
}
