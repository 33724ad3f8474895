using System.Globalization;
using System.Security.Cryptography;
using Builder.IntegrationTests.Guestfs;

namespace Builder.IntegrationTests.Reliability;

/// <summary>
/// A flat apt repository in a folder (Packages, Release, one package with a 512 KiB payload of random
/// bytes, so it cannot be compressed away), for a guest to install from through a loopback server.
/// Unsigned: the guest's sources line says [trusted=yes].
/// </summary>
internal static class LocalAptRepository
{
    public const string Package = "builder-stall";
    public const string DebFile = "builder-stall_1.0_all.deb";

    /// <summary>Writes the repository into <paramref name="folder"/>; the .deb's size.</summary>
    public static long Create(string folder)
    {
        var tree = Path.Combine(folder, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "DEBIAN"));
        Directory.CreateDirectory(Path.Combine(tree, "usr", "share", Package));
        File.WriteAllText(Path.Combine(tree, "DEBIAN", "control"),
            $"Package: {Package}\nVersion: 1.0\nArchitecture: all\nMaintainer: Builder tests <tests@example.invalid>\nDescription: a package whose download stalls\n");
        File.WriteAllBytes(Path.Combine(tree, "usr", "share", Package, "payload"), RandomNumberGenerator.GetBytes(512 * 1024));
        var deb = Path.Combine(folder, DebFile);
        Tools.Run("dpkg-deb", "--root-owner-group", "-Zgzip", "--build", tree, deb);
        Directory.Delete(tree, recursive: true);

        var size = new FileInfo(deb).Length;
        var packages = Path.Combine(folder, "Packages");
        File.WriteAllText(packages,
            $"Package: {Package}\nVersion: 1.0\nArchitecture: all\nMaintainer: Builder tests <tests@example.invalid>\n" +
            $"Filename: ./{DebFile}\nSize: {size}\nSHA256: {Tools.Sha256(deb)}\nDescription: a package whose download stalls\n\n");
        var date = DateTime.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Combine(folder, "Release"),
            $"Date: {date}\nSHA256:\n {Tools.Sha256(packages)} {new FileInfo(packages).Length} Packages\n");
        return size;
    }
}
