using Builder.Templates.Definitions;

namespace Builder.Templates.Building;

/// <summary>
/// Makes a bootstrapped tree a bootable system: fstab, host name, network, the bootloader's
/// configuration, and nothing of the build host (no resolv.conf, an empty machine-id for first boot).
/// </summary>
internal static class TreeSetup
{
    public static void Apply(TemplateDefinition definition, string tree)
    {
        var label = definition.Disk.Label;
        TreeFiles.Write(tree, "etc/fstab", $"LABEL={label} / ext4 errors=remount-ro 0 1\n");
        TreeFiles.Write(tree, "etc/hostname", definition.Hostname + "\n");
        TreeFiles.Write(tree, "etc/hosts",
            $"127.0.0.1\tlocalhost\n127.0.1.1\t{definition.Hostname}\n\n::1\tlocalhost ip6-localhost ip6-loopback\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n");
        // mmdebstrap copies the build host's resolv.conf in; the guest gets its own from DHCP.
        TreeFiles.Write(tree, "etc/resolv.conf", "");
        // Empty: systemd makes a fresh one on first boot, so no two machines share it.
        TreeFiles.Write(tree, "etc/machine-id", "");
        TreeFiles.Delete(tree, "var/lib/dbus/machine-id");

        if (definition.Network == NetworkSetup.Dhcp)
            TreeFiles.Write(tree, "etc/network/interfaces",
                "# Written by builder: DHCP on the first network interface (net.ifnames=0 names it eth0).\n" +
                "auto lo\niface lo inet loopback\n\nallow-hotplug eth0\niface eth0 inet dhcp\n");

        var boot = definition.Boot ?? new BootSpec();
        foreach (var file in new[] { boot.Kernel, boot.Initrd })
        {
            if (!TreeFiles.ExistsInGuest(tree, file))
                throw new TemplateBuildException($"the bootstrapped tree has no {file}",
                    "add the distribution's kernel package (linux-image-amd64 on Debian) to bootstrap.packages");
        }
        TreeFiles.Write(tree, "boot/extlinux/extlinux.conf", ExtlinuxConfig(definition, boot));
    }

    public static string KernelCommandLine(TemplateDefinition definition, BootSpec boot)
    {
        List<string> arguments = [$"root=LABEL={definition.Disk.Label}", "rw"];
        if (definition.Network == NetworkSetup.Dhcp) arguments.Add("net.ifnames=0");
        // The serial console last, so it is /dev/console: headless boots can be watched, and a getty runs there.
        arguments.AddRange(["console=tty0", "console=ttyS0,115200"]);
        if (!string.IsNullOrWhiteSpace(boot.Append)) arguments.Add(boot.Append.Trim());
        return string.Join(' ', arguments);
    }

    private static string ExtlinuxConfig(TemplateDefinition definition, BootSpec boot) =>
        $"""
        # Written by builder for {definition.Name}.
        DEFAULT linux
        PROMPT 0
        TIMEOUT 0
        SERIAL 0 115200
        LABEL linux
          LINUX {boot.Kernel}
          INITRD {boot.Initrd}
          APPEND {KernelCommandLine(definition, boot)}

        """;
}
