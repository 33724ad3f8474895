using Builder.Guests;
using Builder.Host.Disks;
using Builder.Host.Native;
using Builder.Host.Sessions;

namespace Builder.Host.Mounting;

/// <summary>
/// The filesystem half of growing a disk on the host: the grown partition gets a loop device of its
/// new size, and its filesystem grows to fill it. ext2/3/4 grows offline (e2fsck -f, then resize2fs):
/// an online grow needs CAP_SYS_RESOURCE, which a container's root may lack. xfs and btrfs grow only
/// online, so they are mounted on a folder of the session's own for xfs_growfs or btrfs filesystem
/// resize max. The loop device and the mount are recorded in the session, and released again.
/// </summary>
internal static class FilesystemGrowth
{
    /// <summary>The program that grows each kind of filesystem, and the Debian package that has it.</summary>
    private static (string Program, string Package) ToolFor(string filesystem) => filesystem switch
    {
        "xfs" => ("xfs_growfs", "xfsprogs"),
        "btrfs" => ("btrfs", "btrfs-progs"),
        _ => ("resize2fs", "e2fsprogs"),
    };

    /// <summary>Refuses, before anything changes, when the host lacks the program that grows this filesystem.</summary>
    public static void RequireTool(GrowthTarget target)
    {
        var (program, package) = ToolFor(target.Filesystem!);
        if (HostTool.Find(program) is null) throw DiskGrowthException.MissingHostTool(program, target.Filesystem!, package);
    }

    public static async Task GrowAsync(HostSession session, string disk, GrowthTarget target, CancellationToken cancellationToken)
    {
        var partitions = await PartitionTable.ReadAsync(disk, session.Trace, cancellationToken).ConfigureAwait(false);
        var loop = await LoopDevices.AttachAsync(session, disk, partitions.First(p => p.Number == target.Number), cancellationToken).ConfigureAwait(false);
        try
        {
            if (target.Filesystem is "xfs" or "btrfs") await GrowMountedAsync(session, loop.Device, target.Filesystem, cancellationToken).ConfigureAwait(false);
            else await GrowExtAsync(loop.Device, session.Trace, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await session.ReleaseAsync(loop.Resource).ConfigureAwait(false);
        }
    }

    /// <summary>e2fsck -f -p (resize2fs insists on a freshly checked filesystem; exit 1 means it fixed something), then resize2fs.</summary>
    private static async Task GrowExtAsync(string device, Action<string>? trace, CancellationToken cancellationToken)
    {
        var check = await HostTool.RunAsync("e2fsck", ["-f", "-p", device], trace, cancellationToken).ConfigureAwait(false);
        if (check.ExitCode is not (0 or 1)) throw new HostToolException("e2fsck", check.ExitCode, check.Error + check.Output);
        await HostTool.OutputAsync("resize2fs", [device], trace, cancellationToken).ConfigureAwait(false);
    }

    private static async Task GrowMountedAsync(HostSession session, string device, string filesystem, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateDirectory(Path.Combine(session.WorkFolder, "grow")).FullName;
        SessionResource mount;
        using (var at = Syscalls.OpenHost(folder, OpenFlags.Path | OpenFlags.Directory | OpenFlags.NoFollow))
            mount = await FilesystemMount.MountAsync(session, device, at, filesystem, readOnly: false).ConfigureAwait(false);
        try
        {
            var (program, _) = ToolFor(filesystem);
            IReadOnlyList<string> arguments = filesystem == "xfs" ? [folder] : ["filesystem", "resize", "max", folder];
            await HostTool.OutputAsync(program, arguments, session.Trace, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await session.ReleaseAsync(mount).ConfigureAwait(false);
        }
    }
}
