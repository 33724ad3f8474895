using Builder.Execution;
using Builder.Guests;

namespace Builder.Templates.Building;

/// <summary>Installs a bootloader into a disk image's filesystem: the part of a template build that needs the guest's filesystem mounted.</summary>
public interface IBootloaderInstaller
{
    /// <summary>
    /// Installs extlinux (SYSLINUX for ext2/3/4) into <paramref name="directory"/> of the filesystem
    /// on <paramref name="device"/>, which already holds extlinux.conf. The MBR boot code is the caller's.
    /// </summary>
    Task InstallExtlinuxAsync(string disk, string format, string device, string directory, GuestSessionOptions options,
        IBuildEvents events, CancellationToken cancellationToken);
}
