using Builder.Execution;
using Builder.Guests;
using Builder.Templates.Building;

namespace Builder.Guestfs;

/// <summary>Installs extlinux in a libguestfs appliance, so a template build needs no loop mount on the host.</summary>
public sealed class GuestfsBootloaderInstaller(GuestfsBackend backend) : IBootloaderInstaller
{
    public async Task InstallExtlinuxAsync(string disk, string format, string device, string directory, GuestSessionOptions options,
        IBuildEvents events, CancellationToken cancellationToken)
    {
        var layout = new GuestLayout(GuestInfo.Unknown(device), [new GuestMount("/", device)]);
        var guest = (GuestfsGuest)await backend.OpenAsync(new GuestDisk(disk, format, layout), options, events, cancellationToken);
        await using (guest)
        {
            await guest.InstallExtlinuxAsync(directory, cancellationToken);
        }
    }
}
