namespace Builder.Guests;

/// <summary>What is known about the operating system in a guest.</summary>
/// <param name="OsType">"linux", "windows", … or "unknown" when inspection found no operating system.</param>
/// <param name="Distro">"debian", "ubuntu", "fedora", … or "unknown".</param>
/// <param name="PackageManager">"apt", "dnf", "yum", "zypper", "apk", "pacman", … or "unknown".</param>
/// <param name="RootDevice">The device holding the root filesystem, as the backend names it.</param>
public sealed record GuestInfo(
    string OsType,
    string Distro,
    int MajorVersion,
    int MinorVersion,
    string PackageManager,
    string RootDevice,
    string Architecture)
{
    public static GuestInfo Unknown(string rootDevice) =>
        new("unknown", "unknown", 0, 0, "unknown", rootDevice, "unknown");
}
