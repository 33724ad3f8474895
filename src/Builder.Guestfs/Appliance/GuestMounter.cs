using Builder.Execution;
using Builder.Guestfs.Native;
using Builder.Guests;

namespace Builder.Guestfs.Appliance;

/// <summary>Inspects the disk and mounts the guest's filesystems, as virt-customize does, and says what it found.</summary>
internal static class GuestMounter
{
    private static readonly HashSet<string> Unmountable = new(StringComparer.Ordinal) { "swap", "unknown", "" };

    /// <summary>Mounts as the layout says when it fits the disk (its root holds /etc); otherwise inspects.</summary>
    public static GuestInfo Mount(GuestfsConnection g, GuestLayout? layout, IBuildEvents events)
    {
        if (layout is not null && TryMountLayout(g, layout)) return layout.Info;
        return InspectAndMount(g, events);
    }

    private static bool TryMountLayout(GuestfsConnection g, GuestLayout layout)
    {
        try
        {
            foreach (var mount in layout.Mounts.OrderBy(m => m.MountPoint.Length)) g.Mount(mount.Device, mount.MountPoint);
            if (g.IsDir("/etc")) return true;
        }
        catch (GuestfsException)
        {
        }
        g.UmountAll();
        return false;
    }

    public static GuestInfo InspectAndMount(GuestfsConnection g, IBuildEvents events)
    {
        var roots = g.InspectOs();
        return roots.Length switch
        {
            1 => MountOperatingSystem(g, roots[0], events),
            0 => MountSingleFilesystem(g, events),
            _ => throw new GuestOperationException(
                "inspect", null, $"multi-boot guests are not supported (operating systems found on {string.Join(", ", roots)})"),
        };
    }

    private static GuestInfo MountOperatingSystem(GuestfsConnection g, string root, IBuildEvents events)
    {
        // Shortest mount point first, so "/" is mounted before "/boot" and "/boot" before "/boot/efi".
        var mountpoints = g.InspectGetMountpoints(root)
            .OrderBy(m => m.Key.Length)
            .ThenBy(m => m.Key, StringComparer.Ordinal);
        foreach (var (mountpoint, device) in mountpoints)
        {
            try
            {
                g.Mount(device, mountpoint);
            }
            catch (GuestfsException e) when (mountpoint != "/")
            {
                events.Emit(new Notice($"could not mount {device} at {mountpoint} ({e.Summary}); continuing without it"));
            }
        }

        return new GuestInfo(
            g.InspectGetType(root),
            g.InspectGetDistro(root),
            g.InspectGetMajorVersion(root),
            g.InspectGetMinorVersion(root),
            g.InspectGetPackageManagement(root),
            root,
            g.InspectGetArch(root));
    }

    private static GuestInfo MountSingleFilesystem(GuestfsConnection g, IBuildEvents events)
    {
        var filesystems = g.ListFilesystems().Where(f => !Unmountable.Contains(f.Value)).ToList();
        if (filesystems.Count != 1)
        {
            var found = filesystems.Count == 0
                ? "no mountable filesystem"
                : $"{filesystems.Count} filesystems ({string.Join(", ", filesystems.Select(f => $"{f.Key}: {f.Value}"))})";
            throw new GuestOperationException(
                "inspect", null, $"no operating system found by inspection, and the disk has {found}, so there is nothing to mount at /");
        }

        var device = filesystems[0].Key;
        g.Mount(device, "/");
        events.Emit(new Notice($"no operating system found by inspection; mounted {device} at /"));
        return GuestInfo.Unknown(device);
    }
}
