using Builder.Execution;
using Builder.Guests;
using Builder.Host.Disks;
using Builder.Host.Files;
using Builder.Host.Native;
using Builder.Host.Sessions;

namespace Builder.Host.Mounting;

/// <summary>
/// Mounts the guest's filesystems under the work folder's root/: as the template's layout says
/// when it fits the disk (its root holds /etc), else by inspection as libguestfs does it — the one
/// filesystem with /etc/fstab is the root, and its fstab says what goes where; a disk without an
/// operating system but with exactly one filesystem has it mounted at /. Every partition it looks
/// at gets a loop device; those it does not mount are detached again.
/// </summary>
internal sealed class GuestMounter(HostSession session, string disk, IBuildEvents events)
{
    private readonly Dictionary<int, (AttachedLoop Loop, BlockInfo Block)> _probed = [];
    private readonly HashSet<int> _mounted = [];
    private readonly string _rootFolder = Path.Combine(session.WorkFolder, "root");

    public async Task<(GuestRoot Root, GuestInfo Info)> MountAsync(GuestLayout? layout, CancellationToken cancellationToken)
    {
        var partitions = await PartitionTable.ReadAsync(disk, session.Trace, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(_rootFolder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var mounted = layout is null ? null : await TryLayoutAsync(layout, partitions, cancellationToken).ConfigureAwait(false);
        if (mounted is null && layout is not null)
            events.Emit(new Notice("the template's layout does not fit the disk; inspecting it instead"));
        var result = mounted is { } root ? (root, layout!.Info) : await InspectAsync(partitions, cancellationToken).ConfigureAwait(false);
        foreach (var (number, probed) in _probed)
            if (!_mounted.Contains(number)) await session.ReleaseAsync(probed.Loop.Resource).ConfigureAwait(false);
        return result;
    }

    private async Task<GuestRoot?> TryLayoutAsync(GuestLayout layout, IReadOnlyList<Partition> partitions, CancellationToken cancellationToken)
    {
        var mounts = new List<SessionResource>();
        GuestRoot? root = null;
        try
        {
            foreach (var mount in layout.Mounts.OrderBy(m => m.MountPoint.Length).ThenBy(m => m.MountPoint, StringComparer.Ordinal))
            {
                var (_, _, number) = Fstab.Target(mount.Device);
                if (number is not { } n || partitions.FirstOrDefault(p => p.Number == n) is not { } partition) return null;
                var (loop, block) = await ProbeAsync(partition, cancellationToken).ConfigureAwait(false);
                if (!block.IsMountable) return null;
                if (mount.MountPoint == "/")
                {
                    mounts.Add(await MountRootAsync(loop, block, readOnly: false).ConfigureAwait(false));
                    root = GuestRoot.Open(_rootFolder);
                }
                else
                {
                    if (root is null) return null;
                    using var target = root.TryOpen(mount.MountPoint, OpenFlags.Path | OpenFlags.Directory, out _);
                    if (target is null) return null;
                    mounts.Add(await FilesystemMount.MountAsync(session, loop.Device, target, block.Type!, readOnly: false).ConfigureAwait(false));
                }
                _mounted.Add(n);
            }
            if (root?.Lstat("/etc") is { Type: GuestFileType.Directory }) return root;
        }
        catch (NativeException)
        {
        }
        root?.Dispose();
        for (var i = mounts.Count - 1; i >= 0; i--) await session.ReleaseAsync(mounts[i]).ConfigureAwait(false);
        _mounted.Clear();
        return null;
    }

    private async Task<(GuestRoot, GuestInfo)> InspectAsync(IReadOnlyList<Partition> partitions, CancellationToken cancellationToken)
    {
        var filesystems = new List<(AttachedLoop Loop, BlockInfo Block)>();
        foreach (var partition in partitions)
        {
            var probed = await ProbeAsync(partition, cancellationToken).ConfigureAwait(false);
            if (probed.Block.IsMountable) filesystems.Add(probed);
        }
        var roots = new List<(AttachedLoop Loop, BlockInfo Block, string? Subvolume)>();
        foreach (var filesystem in filesystems)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await FindRootAsync(filesystem).ConfigureAwait(false) is { } subvolume)
                roots.Add((filesystem.Loop, filesystem.Block, subvolume.Length == 0 ? null : subvolume));
        }
        if (roots.Count > 1)
            throw new GuestOperationException("inspect", null,
                $"multi-boot guests are not supported (operating systems found on {string.Join(", ", roots.Select(r => r.Loop.Partition.ApplianceName))})");
        if (roots.Count == 0) return await MountSingleFilesystemAsync(filesystems).ConfigureAwait(false);

        var (rootLoop, rootBlock, rootSubvolume) = roots[0];
        await MountRootAsync(rootLoop, rootBlock, readOnly: false, rootSubvolume).ConfigureAwait(false);
        _mounted.Add(rootLoop.Partition.Number);
        var root = GuestRoot.Open(_rootFolder);
        try
        {
            await MountFstabAsync(root, filesystems, cancellationToken).ConfigureAwait(false);
            return (root, GuestInspector.Inspect(root, rootLoop.Partition.ApplianceName));
        }
        catch
        {
            root.Dispose();
            throw;
        }
    }

    private async Task MountFstabAsync(GuestRoot root, List<(AttachedLoop Loop, BlockInfo Block)> filesystems, CancellationToken cancellationToken)
    {
        var fstab = Fstab.Parse(GuestInspector.ReadText(root, "/etc/fstab") ?? "");
        foreach (var entry in fstab.Where(e => e.MountPoint != "/").OrderBy(e => e.MountPoint.Length).ThenBy(e => e.MountPoint, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var match = filesystems.Where(f => Matches(entry.Spec, f.Loop.Partition, f.Block)).Select(f => f.Loop).FirstOrDefault();
            if (match is null)
            {
                if (!entry.NoFail) events.Emit(new Notice($"could not mount {entry.Spec} at {entry.MountPoint} (not on this disk); continuing without it"));
                continue;
            }
            if (_mounted.Contains(match.Partition.Number) && entry.Subvolume is null) continue;
            try
            {
                using var target = root.Open(entry.MountPoint, OpenFlags.Path | OpenFlags.Directory);
                var block = filesystems.First(f => f.Loop == match).Block;
                var data = block.Type == "btrfs" ? entry.Subvolume : null;
                await FilesystemMount.MountAsync(session, match.Device, target, block.Type!, readOnly: false, data).ConfigureAwait(false);
                _mounted.Add(match.Partition.Number);
            }
            catch (Exception e) when (e is NativeException or IOException)
            {
                events.Emit(new Notice($"could not mount {match.Partition.ApplianceName} at {entry.MountPoint} ({e.Message}); continuing without it"));
            }
        }
    }

    private async Task<(GuestRoot, GuestInfo)> MountSingleFilesystemAsync(List<(AttachedLoop Loop, BlockInfo Block)> filesystems)
    {
        if (filesystems.Count != 1)
        {
            var found = filesystems.Count == 0
                ? "no mountable filesystem"
                : $"{filesystems.Count} filesystems ({string.Join(", ", filesystems.Select(f => $"{f.Loop.Partition.ApplianceName}: {f.Block.Type}"))})";
            var unsupported = _probed.Values.Where(p => p.Block.Usage is "raid" or "crypto").Select(p => $"{p.Loop.Partition.ApplianceName}: {p.Block.Type}").ToList();
            var hint = unsupported.Count == 0 ? "" : $"; the host backend does not open {string.Join(", ", unsupported)} (LVM, RAID, encryption): use --backend appliance";
            throw new GuestOperationException(
                "inspect", null, $"no operating system found by inspection, and the disk has {found}, so there is nothing to mount at /{hint}");
        }
        var (loop, block) = filesystems[0];
        await MountRootAsync(loop, block, readOnly: false).ConfigureAwait(false);
        _mounted.Add(loop.Partition.Number);
        events.Emit(new Notice($"no operating system found by inspection; mounted {loop.Partition.ApplianceName} at /"));
        return (GuestRoot.Open(_rootFolder), GuestInfo.Unknown(loop.Partition.ApplianceName));
    }

    /// <summary>
    /// Mounts the filesystem read-only on a probe folder to look for /etc/fstab, then unmounts it: "" when the
    /// filesystem is a root, "subvol=NAME" when a top-level btrfs subvolume is (Fedora's "root"), null when neither.
    /// </summary>
    private async Task<string?> FindRootAsync((AttachedLoop Loop, BlockInfo Block) filesystem)
    {
        var probe = Directory.CreateDirectory(Path.Combine(session.WorkFolder, "probe")).FullName;
        using var target = Syscalls.OpenHost(probe, OpenFlags.Path | OpenFlags.Directory | OpenFlags.NoFollow);
        SessionResource mount;
        try
        {
            mount = await FilesystemMount.MountAsync(session, filesystem.Loop.Device, target, filesystem.Block.Type!, readOnly: true).ConfigureAwait(false);
        }
        catch (NativeException e)
        {
            events.Emit(new Notice($"could not mount {filesystem.Loop.Partition.ApplianceName} ({filesystem.Block.Type}) to inspect it: {e.Description}"));
            return null;
        }
        try
        {
            using var root = GuestRoot.Open(probe);
            if (GuestInspector.IsRoot(root)) return "";
            if (filesystem.Block.Type != "btrfs") return null;
            using var top = root.Open("/", OpenFlags.ReadOnly | OpenFlags.Directory);
            return GuestTreeRemover.Names(top).FirstOrDefault(name => root.Lstat($"/{name}/etc/fstab") is not null) is { } subvolume
                ? $"subvol={subvolume}"
                : null;
        }
        finally
        {
            await session.ReleaseAsync(mount).ConfigureAwait(false);
        }
    }

    private async Task<SessionResource> MountRootAsync(AttachedLoop loop, BlockInfo block, bool readOnly, string? subvolume = null)
    {
        using var target = Syscalls.OpenHost(_rootFolder, OpenFlags.Path | OpenFlags.Directory | OpenFlags.NoFollow);
        return await FilesystemMount.MountAsync(session, loop.Device, target, block.Type!, readOnly, subvolume).ConfigureAwait(false);
    }

    private async Task<(AttachedLoop Loop, BlockInfo Block)> ProbeAsync(Partition partition, CancellationToken cancellationToken)
    {
        if (_probed.TryGetValue(partition.Number, out var known)) return known;
        var loop = await LoopDevices.AttachAsync(session, disk, partition, cancellationToken).ConfigureAwait(false);
        var block = await BlockProbe.ProbeAsync(loop.Device, session.Trace, cancellationToken).ConfigureAwait(false);
        return _probed[partition.Number] = (loop, block);
    }

    private static bool Matches(string spec, Partition partition, BlockInfo block)
    {
        var (tag, value, number) = Fstab.Target(spec);
        if (number is { } n) return n == partition.Number;
        return tag switch
        {
            "UUID" => string.Equals(value, block.Uuid, StringComparison.OrdinalIgnoreCase),
            "LABEL" => value == block.Label,
            "PARTUUID" => string.Equals(value, partition.PartUuid, StringComparison.OrdinalIgnoreCase),
            "PARTLABEL" => value == partition.PartLabel,
            _ => false,
        };
    }
}
