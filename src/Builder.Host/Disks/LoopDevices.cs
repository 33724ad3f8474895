using Builder.Host.Sessions;

namespace Builder.Host.Disks;

/// <summary>A loop device on one partition of the disk (partition nodes like /dev/loop0p1 do not appear on every host).</summary>
internal sealed record AttachedLoop(string Device, Partition Partition, SessionResource Resource);

internal static class LoopDevices
{
    /// <summary>losetup --find --show at the partition's offset and size, recorded in the session before it is made.</summary>
    public static async Task<AttachedLoop> AttachAsync(HostSession session, string disk, Partition partition, CancellationToken cancellationToken)
    {
        var resource = session.Record(new SessionResource(
            SessionJournal.NewId(), ResourceKind.Loop, disk, partition.Offset, partition.Size));
        List<string> arguments = ["--find", "--show", "--offset", partition.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (partition.Size is { } size) arguments.AddRange(["--sizelimit", size.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        arguments.Add(disk);
        var device = (await HostTool.OutputAsync("losetup", arguments, session.Trace, cancellationToken).ConfigureAwait(false)).Trim();
        resource = resource with { Device = device };
        session.Update(resource);
        return new AttachedLoop(device, partition, resource);
    }
}
