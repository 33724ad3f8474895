using System.Globalization;
using System.Text.Json;

namespace Builder.Host.Disks;

/// <summary>One partition: its number (as /dev/sdaN names it; 0 is the whole disk), where it is, and its table's ids for fstab.</summary>
internal sealed record Partition(int Number, long Offset, long? Size, string? PartUuid, string? PartLabel)
{
    /// <summary>The name the appliance gives it: /dev/sda1, or /dev/sda for a disk without a partition table.</summary>
    public string ApplianceName => Number == 0 ? "/dev/sda" : $"/dev/sda{Number}";
}

/// <summary>The disk's partitions, from <c>sfdisk --json</c> (MBR or GPT); a disk without a table is one partition, the whole disk.</summary>
internal static class PartitionTable
{
    private static readonly HashSet<string> ExtendedTypes = new(StringComparer.OrdinalIgnoreCase) { "5", "f", "85" };

    public static async Task<IReadOnlyList<Partition>> ReadAsync(string disk, Action<string>? trace, CancellationToken cancellationToken) =>
        (await ReadLabeledAsync(disk, trace, cancellationToken).ConfigureAwait(false)).Partitions;

    /// <summary>The partitions and the table's kind: sfdisk's "dos" or "gpt"; null, with the whole disk as partition 0, when there is no table.</summary>
    public static async Task<(string? Label, IReadOnlyList<Partition> Partitions)> ReadLabeledAsync(
        string disk, Action<string>? trace, CancellationToken cancellationToken)
    {
        var result = await HostTool.RunAsync("sfdisk", ["--json", disk], trace, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            if (result.Error.Contains("does not contain a recognized partition table", StringComparison.Ordinal))
                return (null, [new Partition(0, 0, null, null, null)]);
            throw new HostToolException("sfdisk", result.ExitCode, result.Error);
        }
        using var document = JsonDocument.Parse(result.Output);
        return (document.RootElement.GetProperty("partitiontable").GetProperty("label").GetString(), Parse(disk, result.Output));
    }

    public static IReadOnlyList<Partition> Parse(string disk, string json)
    {
        using var document = JsonDocument.Parse(json);
        var table = document.RootElement.GetProperty("partitiontable");
        var label = table.GetProperty("label").GetString();
        var sectorSize = table.TryGetProperty("sectorsize", out var size) ? size.GetInt64() : 512;
        var diskId = table.TryGetProperty("id", out var id) ? id.GetString() : null;
        var partitions = new List<Partition>();
        if (!table.TryGetProperty("partitions", out var entries)) return partitions;
        foreach (var entry in entries.EnumerateArray())
        {
            var type = entry.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
            if (label == "dos" && ExtendedTypes.Contains(type)) continue;
            var number = NumberOf(disk, entry.GetProperty("node").GetString() ?? "");
            var partUuid = label == "dos" && diskId is { Length: > 2 } mbrId
                ? $"{mbrId[2..].ToLowerInvariant().PadLeft(8, '0')}-{number:x2}"
                : entry.TryGetProperty("uuid", out var u) ? u.GetString()?.ToLowerInvariant() : null;
            var partLabel = entry.TryGetProperty("name", out var n) ? n.GetString() : null;
            partitions.Add(new Partition(
                number, entry.GetProperty("start").GetInt64() * sectorSize, entry.GetProperty("size").GetInt64() * sectorSize, partUuid, partLabel));
        }
        return partitions;
    }

    /// <summary>"/work/disk1" → 1, "/work/image2p3" → 3: the node is the disk's path, an optional "p", and the number.</summary>
    private static int NumberOf(string disk, string node)
    {
        var suffix = node.StartsWith(disk, StringComparison.Ordinal) ? node[disk.Length..] : new string(node.Reverse().TakeWhile(char.IsAsciiDigit).Reverse().ToArray());
        return int.Parse(suffix.TrimStart('p'), NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
