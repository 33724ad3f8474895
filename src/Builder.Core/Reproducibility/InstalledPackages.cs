using System.Text;
using Builder.Guests;

namespace Builder.Reproducibility;

/// <summary>
/// Lists an image's installed packages (an SBOM-lite) from its package database: dpkg's status file
/// and apk's installed file are read as files; an rpm database is binary, so `rpm -qa` runs in the
/// guest, and only when the guest has a shell to run it with.
/// </summary>
public static class InstalledPackages
{
    private static readonly string[] RpmDatabases = ["/var/lib/rpm", "/usr/lib/sysimage/rpm"];

    public static async Task<PackageList> ReadAsync(IGuest guest, CancellationToken cancellationToken)
    {
        if (await IsFileAsync(guest, PackageDatabases.DpkgStatus, cancellationToken))
            return PackageList.Of("dpkg", PackageDatabases.ParseDpkgStatus(await TextAsync(guest, PackageDatabases.DpkgStatus, cancellationToken)));
        if (await IsFileAsync(guest, PackageDatabases.ApkInstalled, cancellationToken))
            return PackageList.Of("apk", PackageDatabases.ParseApkInstalled(await TextAsync(guest, PackageDatabases.ApkInstalled, cancellationToken)));
        foreach (var database in RpmDatabases)
            if (await guest.LstatAsync(database, cancellationToken) is { Type: GuestFileType.Directory })
                return await QueryRpmAsync(guest, cancellationToken);
        return PackageList.None("the image has no package database Builder reads (dpkg, apk or rpm)");
    }

    private static async Task<PackageList> QueryRpmAsync(IGuest guest, CancellationToken cancellationToken)
    {
        if (await guest.LstatAsync("/bin/sh", cancellationToken) is null)
            return PackageList.None("the image has an rpm database but no /bin/sh to run rpm with");
        var lines = new List<string>();
        GuestCommandResult result;
        try
        {
            result = await guest.RunAsync(new GuestCommand($"exec rpm -qa --qf '{PackageDatabases.RpmQueryFormat}'"),
                line => { lock (lines) lines.Add(line); }, cancellationToken);
        }
        catch (GuestOperationException e)
        {
            return PackageList.None($"rpm could not run in the guest: {e.Message}");
        }
        if (!result.Succeeded)
            return PackageList.None($"rpm -qa failed in the guest (exit {result.ExitCode}): {result.Tail.LastOrDefault()}");
        lock (lines) return PackageList.Of("rpm", PackageDatabases.ParseRpmQuery(lines));
    }

    private static async Task<bool> IsFileAsync(IGuest guest, string path, CancellationToken cancellationToken) =>
        await guest.LstatAsync(path, cancellationToken) is { Type: GuestFileType.Regular };

    private static async Task<string> TextAsync(IGuest guest, string path, CancellationToken cancellationToken) =>
        Encoding.UTF8.GetString(await guest.ReadFileAsync(path, cancellationToken));
}
