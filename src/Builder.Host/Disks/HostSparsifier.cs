using System.Globalization;
using Builder.Guests;
using Builder.Host.Files;
using Builder.Host.Mounting;
using Builder.Host.Native;
using Builder.Host.Sessions;

namespace Builder.Host.Disks;

/// <summary>
/// Makes the session's disk sparse, as virt-sparsify --in-place does: FITRIM on every guest
/// filesystem the session mounted (the loop devices punch holes in the export, which discards them
/// in the image), and each swap partition discarded whole (blkdiscard) and made again with its UUID
/// and label (mkswap). Filesystems are opened inside the guest root, never by a host path.
/// </summary>
internal static class HostSparsifier
{
    public static async Task<IReadOnlyList<SparsifyOutcome>> RunAsync(HostSession session, GuestRoot root, CancellationToken cancellationToken)
    {
        var done = new List<SparsifyOutcome>();
        var mounts = MountedFilesystems.List(root);
        // Deepest first, so a filesystem mounted inside another is trimmed before its parent.
        foreach (var (guestPath, device) in mounts.OrderByDescending(m => m.GuestPath.Length))
        {
            cancellationToken.ThrowIfCancellationRequested();
            done.Add(Trim(root, guestPath, device));
        }

        var loops = session.Journal.Resources.Where(r => r.Kind == ResourceKind.Loop && r.Device is not null).ToList();
        if (loops.Count == 0) return done;
        var disk = loops[0].Path;
        var mountedOffsets = loops.Where(l => mounts.Any(m => m.Device == l.Device)).Select(l => l.Offset ?? 0).ToHashSet();
        foreach (var partition in await PartitionTable.ReadAsync(disk, session.Trace, cancellationToken).ConfigureAwait(false))
        {
            if (mountedOffsets.Contains(partition.Offset)) continue;
            var loop = await LoopDevices.AttachAsync(session, disk, partition, cancellationToken).ConfigureAwait(false);
            try
            {
                var block = await BlockProbe.ProbeAsync(loop.Device, session.Trace, cancellationToken).ConfigureAwait(false);
                if (block.Type == "swap") done.Add(await RecreateSwapAsync(session, loop, block, cancellationToken).ConfigureAwait(false));
            }
            finally
            {
                await session.ReleaseAsync(loop.Resource).ConfigureAwait(false);
            }
        }
        return done;
    }

    private static unsafe SparsifyOutcome Trim(GuestRoot root, string guestPath, string device)
    {
        using var folder = root.TryOpen(guestPath, OpenFlags.ReadOnly | OpenFlags.Directory, out var errno);
        if (folder is null) return new SparsifyOutcome($"could not trim {guestPath} ({device}): {Errno.Message(errno)}", false);
        var range = new LibC.FstrimRange { Start = 0, Length = ulong.MaxValue, MinimumLength = 0 };
        if (LibC.Ioctl(folder.Number, LibC.FITRIM, &range) != 0)
            return new SparsifyOutcome($"could not trim {guestPath} ({device}): {NativeException.Last("FITRIM").Description}", false);
        return new SparsifyOutcome($"trimmed {guestPath} ({device}): {range.Length.ToString(CultureInfo.InvariantCulture)} bytes unused", true);
    }

    private static async Task<SparsifyOutcome> RecreateSwapAsync(HostSession session, AttachedLoop loop, BlockInfo block, CancellationToken cancellationToken)
    {
        var name = loop.Partition.ApplianceName;
        var discard = await HostTool.RunAsync("blkdiscard", [loop.Device], session.Trace, cancellationToken).ConfigureAwait(false);
        if (discard.ExitCode != 0) return new SparsifyOutcome($"left swap {name} as it is (it cannot discard: {discard.Error.Trim()})", false);
        List<string> arguments = [];
        if (block.Uuid is { Length: > 0 } uuid) arguments.AddRange(["-U", uuid]);
        if (block.Label is { Length: > 0 } label) arguments.AddRange(["-L", label]);
        arguments.Add(loop.Device);
        await HostTool.OutputAsync("mkswap", arguments, session.Trace, cancellationToken).ConfigureAwait(false);
        return new SparsifyOutcome($"recreated swap {name} empty (UUID {block.Uuid}{(block.Label is { Length: > 0 } l ? $", label {l}" : "")})", true);
    }
}
