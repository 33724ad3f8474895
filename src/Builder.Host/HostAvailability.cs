using System.Runtime.InteropServices;
using Builder.Guests;

namespace Builder.Host;

/// <summary>
/// Whether the host backend can run here: root, the loop and FUSE devices, the programs it runs,
/// and a guest of the host's own architecture (its commands run natively, chrooted).
/// </summary>
internal static class HostAvailability
{
    private static readonly string[] Programs =
        ["qemu-storage-daemon", "losetup", "mount", "unshare", "chroot", "setsid", "sfdisk", "blkid"];

    private static readonly string[] Devices = ["/dev/loop-control", "/dev/fuse"];

    public static BackendAvailability Check(GuestLayout? layout)
    {
        var missing = new List<string>();
        if (Environment.UserName != "root") missing.Add($"not running as root (running as {Environment.UserName})");
        var devices = Devices.Where(d => !File.Exists(d)).ToList();
        if (devices.Count > 0) missing.Add($"no {string.Join(" or ", devices)}");
        var programs = Programs.Where(p => HostTool.Find(p) is null).ToList();
        if (programs.Count > 0) missing.Add($"{string.Join(", ", programs)} not on PATH");
        var host = HostArchitecture;
        var guest = layout?.Info.Architecture is { } known && known != "unknown" ? Normalize(known) : null;
        if (guest is not null && guest != host) missing.Add($"the guest is {guest} but the host is {host}");
        if (missing.Count > 0) return new BackendAvailability(false, string.Join("; ", missing));
        return new BackendAvailability(true, guest is null
            ? $"running as root with loop and FUSE devices; {host} host (the guest's architecture is checked when it is inspected)"
            : $"running as root with loop and FUSE devices; {guest} guest on an {host} host");
    }

    /// <summary>When inspection finds another architecture than the host's, why commands cannot run; else null.</summary>
    public static string? Mismatch(GuestInfo info) =>
        info.Architecture is { } arch && arch != "unknown" && Normalize(arch) != HostArchitecture
            ? $"the guest is {Normalize(arch)} but the host is {HostArchitecture}: the host backend cannot run its programs (use --backend appliance)"
            : null;

    public static string HostArchitecture => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "x86_64",
        Architecture.Arm64 => "aarch64",
        Architecture.X86 => "i386",
        Architecture.Arm => "arm",
        Architecture.RiscV64 => "riscv64",
        Architecture.Ppc64le => "ppc64le",
        Architecture.S390x => "s390x",
        var other => other.ToString().ToLowerInvariant(),
    };

    private static string Normalize(string architecture) => architecture.ToLowerInvariant() switch
    {
        "amd64" or "x64" => "x86_64",
        "arm64" => "aarch64",
        "i686" or "i586" or "x86" => "i386",
        "armv7l" or "armhf" => "arm",
        var other => other,
    };
}
