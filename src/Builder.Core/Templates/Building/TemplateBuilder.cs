using Builder.Execution;
using Builder.Guests;
using Builder.Images;
using Builder.Templates.Definitions;
using Builder.Templates.Store;

namespace Builder.Templates.Building;

/// <summary>
/// Builds a template from its definition into the store: mmdebstrap a tree, set it up to boot,
/// lay it onto a partitioned disk, install extlinux, convert to qcow2, publish. Holding the
/// store's lock for the name, so a second process waits and then reuses the result.
/// </summary>
public sealed class TemplateBuilder(ITemplateStore store, IDiskImages images, IBootloaderInstaller bootloader, TimeProvider time)
{
    /// <summary>The stored template for this definition: the existing one when it was built from the same definition, unless forced.</summary>
    public async Task<StoredTemplate> BuildAsync(LoadedDefinition loaded, GuestSessionOptions session, IBuildEvents events,
        CancellationToken cancellationToken, bool force = false)
    {
        var definition = loaded.Definition;
        using var held = await store.LockAsync(definition.Name, events, cancellationToken);
        if (!force && store.Find(definition.Name) is { } existing && existing.SourceKey == SourceKey(loaded)) return existing;
        // Environment.UserName is getpwuid(geteuid()): the effective user, not $USER.
        if (Environment.UserName != "root")
            throw new TemplateBuildException($"building the template {definition.Name} needs root (mmdebstrap into a folder)",
                "run as root, or pull a prebuilt template with `builder templates pull`");

        var scratch = store.CreateScratchFolder();
        try
        {
            var tree = Path.Combine(scratch, "tree");
            var raw = Path.Combine(scratch, "disk.raw");
            var image = Path.Combine(scratch, "image.qcow2");
            var spec = definition.Bootstrap;
            await events.PhaseAsync(time, "bootstrap", $"Bootstrapping {definition.Os.Distro} {spec.Suite} with mmdebstrap ({spec.Variant})",
                () => Mmdebstrap.RunAsync(spec, tree, events, cancellationToken));
            await events.PhaseAsync(time, "configure", "Configuring boot, network and console", () =>
            {
                TreeSetup.Apply(definition, tree);
                return Task.CompletedTask;
            });
            await events.PhaseAsync(time, "disk", $"Laying out a {definition.Disk.Size} disk ({definition.Disk.PartitionTable.ToString().ToLowerInvariant()}, ext4 '{definition.Disk.Label}')",
                () => DiskLayout.CreateAsync(definition.Disk, tree, raw, cancellationToken));
            Directory.Delete(tree, recursive: true);
            await bootloader.InstallExtlinuxAsync(raw, "raw", DiskLayout.RootDevice, "/boot/extlinux", session, events, cancellationToken);
            await events.PhaseAsync(time, "convert", "Converting to qcow2",
                () => images.ConvertAsync(raw, "raw", image, "qcow2", cancellationToken));
            File.Delete(raw);

            var os = definition.Os;
            var metadata = new TemplateMetadata("linux", os.Distro, os.Version, os.Architecture, DiskLayout.RootDevice, os.PackageManager,
                definition.Description);
            return await store.PublishAsync(definition.Name, image, "qcow2", metadata, SourceKey(loaded), loaded.Source, loaded.TextKey, cancellationToken);
        }
        finally
        {
            TemplateStore.DeleteTree(scratch);
        }
    }

    public static string SourceKey(LoadedDefinition loaded) => "definition:" + loaded.Digest;
}
