using Builder.Steps.Options;

namespace Builder.Templates.Definitions;

/// <summary>
/// How to build a bootable template from distribution packages: templates/NAME.yaml. Adding a
/// release (another Debian, an Ubuntu) is a new file.
/// </summary>
public sealed record TemplateDefinition(
    [Doc("The template's name, as recipes write it; must match the file name")] string Name,
    [Doc("One line saying what the template is")] string Description,
    [Doc("What the template is, for steps that need to know")] OsSpec Os,
    [Doc("How the root filesystem's tree is made")] BootstrapSpec Bootstrap,
    [Doc("The disk: size, partition table, root filesystem")] DiskSpec Disk,
    [Doc("The bootloader and kernel command line")] BootSpec? Boot = null,
    [Doc("Network configuration at boot")] NetworkSetup Network = NetworkSetup.Dhcp,
    [Doc("The template's host name (recipes usually set their own)")] string Hostname = "debian");

public sealed record OsSpec(
    [Doc("The distribution as os-release's ID names it: debian, ubuntu")] string Distro,
    [Doc("The release number: 12, 24.04")] string Version,
    [Doc("The package manager later steps use: apt, dnf, zypper, apk, pacman")] string PackageManager,
    [Doc("The CPU architecture")] string Architecture = "x86_64");

public enum BootstrapTool { Mmdebstrap }

public sealed record BootstrapSpec(
    [Doc("The program that makes the tree")] BootstrapTool Tool,
    [Doc("The release to install: bookworm, noble")] string Suite,
    [Doc("APT source lines, for example \"deb http://deb.debian.org/debian bookworm main\"")] IReadOnlyList<string> Mirrors,
    [Doc("Extra packages beyond the variant's")] IReadOnlyList<string>? Packages = null,
    [Doc("The mmdebstrap variant: minbase, important, standard")] string Variant = "minbase");

public enum PartitionTable { Mbr, Gpt }

public enum RootFilesystem { Ext4 }

public sealed record DiskSpec(
    [Doc("The disk's virtual size, for example 2G")] DataSize Size,
    [Doc("The partition table: mbr, or gpt (with a BIOS-bootable partition for extlinux)")] PartitionTable PartitionTable = PartitionTable.Mbr,
    [Doc("The root filesystem's type")] RootFilesystem Filesystem = RootFilesystem.Ext4,
    [Doc("The root filesystem's label; the kernel finds its root by it")] string Label = "root");

public enum Bootloader { Extlinux }

public sealed record BootSpec(
    [Doc("The bootloader")] Bootloader Loader = Bootloader.Extlinux,
    [Doc("The kernel, as a path in the guest (Debian keeps /vmlinuz pointing at the newest)")] string Kernel = "/vmlinuz",
    [Doc("The initramfs, as a path in the guest")] string Initrd = "/initrd.img",
    [Doc("Extra kernel command-line arguments, after root=, the serial console and network naming")] string? Append = null);

public enum NetworkSetup { Dhcp, None }
