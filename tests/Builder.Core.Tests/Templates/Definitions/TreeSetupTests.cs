using Builder.Templates.Building;
using Builder.Templates.Definitions;
using Builder.Tests.Support;

namespace Builder.Tests.Templates.Definitions;

/// <summary>Setting up a bootstrapped tree, on a small fake tree in a temporary folder.</summary>
public sealed class TreeSetupTests : IDisposable
{
    private readonly string tree = Directory.CreateTempSubdirectory("builder-tree-").FullName;
    private readonly string outside = Directory.CreateTempSubdirectory("builder-outside-").FullName;
    private readonly TemplateDefinition definition = TemplateDefinitionLoader.Parse(
        File.ReadAllText(Repository.PathOf("templates/debian-12.yaml")), "debian-12.yaml", "debian-12").Definition!.Definition;

    public TreeSetupTests()
    {
        Directory.CreateDirectory(Path.Combine(tree, "etc"));
        Directory.CreateDirectory(Path.Combine(tree, "boot"));
        File.WriteAllText(Path.Combine(tree, "boot", "vmlinuz-6.1.0-1-amd64"), "kernel");
        File.WriteAllText(Path.Combine(tree, "boot", "initrd.img-6.1.0-1-amd64"), "initrd");
        File.CreateSymbolicLink(Path.Combine(tree, "vmlinuz"), "boot/vmlinuz-6.1.0-1-amd64");
        File.CreateSymbolicLink(Path.Combine(tree, "initrd.img"), "boot/initrd.img-6.1.0-1-amd64");
        File.WriteAllText(Path.Combine(tree, "etc", "resolv.conf"), "nameserver 192.0.2.1\n");
    }

    public void Dispose()
    {
        Directory.Delete(tree, recursive: true);
        Directory.Delete(outside, recursive: true);
    }

    private string Read(string path) => File.ReadAllText(Path.Combine(tree, path));

    [Fact]
    public void Writes_fstab_host_name_network_and_an_extlinux_config_with_a_serial_console()
    {
        TreeSetup.Apply(definition, tree);

        Assert.Equal("LABEL=root / ext4 errors=remount-ro 0 1\n", Read("etc/fstab"));
        Assert.Equal("debian\n", Read("etc/hostname"));
        Assert.Contains("iface eth0 inet dhcp", Read("etc/network/interfaces"));
        Assert.Equal("", Read("etc/resolv.conf"));
        Assert.Equal("", Read("etc/machine-id"));
        var extlinux = Read("boot/extlinux/extlinux.conf");
        Assert.Contains("  LINUX /vmlinuz\n", extlinux);
        Assert.Contains("  INITRD /initrd.img\n", extlinux);
        Assert.Contains("  APPEND root=LABEL=root rw net.ifnames=0 console=tty0 console=ttyS0,115200\n", extlinux);
    }

    [Fact]
    public void Fails_clearly_when_the_tree_has_no_kernel()
    {
        File.Delete(Path.Combine(tree, "boot", "vmlinuz-6.1.0-1-amd64"));

        var error = Assert.Throws<TemplateBuildException>(() => TreeSetup.Apply(definition, tree));

        Assert.Equal("the bootstrapped tree has no /vmlinuz", error.Message);
    }

    [Fact]
    public void Never_writes_through_a_symlink_out_of_the_tree()
    {
        Directory.Delete(Path.Combine(tree, "etc"), recursive: true);
        Directory.CreateSymbolicLink(Path.Combine(tree, "etc"), outside);

        Assert.Throws<IOException>(() => TreeSetup.Apply(definition, tree));
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
    }
}
