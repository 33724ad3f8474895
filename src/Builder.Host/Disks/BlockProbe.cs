using System.Globalization;

namespace Builder.Host.Disks;

/// <summary>What blkid finds on a loop device: the filesystem type, its UUID and label, and what it is used for.</summary>
internal sealed record BlockInfo(string? Type, string? Uuid, string? Label, string? Usage)
{
    /// <summary>A filesystem that can be mounted (not swap, not a RAID or LVM member, not encrypted).</summary>
    public bool IsMountable => Usage == "filesystem" && Type is { Length: > 0 } and not "swap";
}

internal static class BlockProbe
{
    /// <summary>blkid -p (low-level probing, no cache) -o export; nothing found is an empty <see cref="BlockInfo"/>.</summary>
    public static Task<BlockInfo> ProbeAsync(string device, Action<string>? trace, CancellationToken cancellationToken) =>
        RunAsync(["-p", "-o", "export", device], trace, cancellationToken);

    /// <summary>The same, for a partition of a disk file, at its offset and size: no loop device needed.</summary>
    public static Task<BlockInfo> ProbeAsync(string disk, Partition partition, Action<string>? trace, CancellationToken cancellationToken)
    {
        List<string> arguments = ["-p", "-o", "export", "--offset", partition.Offset.ToString(CultureInfo.InvariantCulture)];
        if (partition.Size is { } size) arguments.AddRange(["--size", size.ToString(CultureInfo.InvariantCulture)]);
        arguments.Add(disk);
        return RunAsync(arguments, trace, cancellationToken);
    }

    private static async Task<BlockInfo> RunAsync(IReadOnlyList<string> arguments, Action<string>? trace, CancellationToken cancellationToken)
    {
        var result = await HostTool.RunAsync("blkid", arguments, trace, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode == 2) return new BlockInfo(null, null, null, null); // nothing recognised
        if (result.ExitCode != 0) throw new HostToolException("blkid", result.ExitCode, result.Error);
        var values = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);
        return new BlockInfo(values.GetValueOrDefault("TYPE"), values.GetValueOrDefault("UUID"), values.GetValueOrDefault("LABEL"), values.GetValueOrDefault("USAGE"));
    }
}
