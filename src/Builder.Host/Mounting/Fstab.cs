using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Builder.Host.Mounting;

/// <summary>One line of /etc/fstab that names a filesystem on a disk (what mount -a would mount, less swap and virtual filesystems).</summary>
/// <param name="Subvolume">A btrfs subvol= or subvolid= option, as mount data; null when there is none.</param>
internal sealed record FstabEntry(string Spec, string MountPoint, string Type, bool NoFail, string? Subvolume = null);

/// <summary>Reads a guest's /etc/fstab, as inspection does, and tells which partition an entry's spec names.</summary>
internal static partial class Fstab
{
    private static readonly HashSet<string> Virtual = new(StringComparer.Ordinal)
    {
        "swap", "proc", "sysfs", "tmpfs", "devtmpfs", "devpts", "ramfs", "cgroup", "cgroup2", "securityfs", "debugfs", "tracefs",
        "efivarfs", "pstore", "bpf", "mqueue", "hugetlbfs", "configfs", "fusectl", "binfmt_misc", "autofs", "nfs", "nfs4", "cifs",
        "smbfs", "smb3", "9p", "virtiofs", "overlay", "none", "ignore", "fuse", "sshfs",
    };

    public static IReadOnlyList<FstabEntry> Parse(string text)
    {
        var entries = new List<FstabEntry>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(Unescape).ToArray();
            if (fields.Length < 3) continue;
            var (spec, mountPoint, type) = (fields[0], fields[1], fields[2]);
            var options = fields.Length > 3 ? fields[3].Split(',') : [];
            if (!mountPoint.StartsWith('/') || Virtual.Contains(type) || options.Contains("bind") || options.Contains("rbind")) continue;
            if (spec is "none" || type.StartsWith("fuse.", StringComparison.Ordinal)) continue;
            var subvolume = options.FirstOrDefault(o => o.StartsWith("subvol=", StringComparison.Ordinal) || o.StartsWith("subvolid=", StringComparison.Ordinal));
            entries.Add(new FstabEntry(spec, mountPoint, type, options.Contains("nofail"), subvolume));
        }
        return entries;
    }

    /// <summary>What a spec asks for: a tag (UUID, LABEL, PARTUUID, PARTLABEL) with its value, or a partition number of the first disk.</summary>
    public static (string? Tag, string? Value, int? Number) Target(string spec)
    {
        var tagged = TagPattern().Match(spec);
        if (tagged.Success) return (tagged.Groups["tag"].Value.ToUpperInvariant(), tagged.Groups["value"].Value.Trim('"'), null);
        var byPath = ByPathPattern().Match(spec);
        if (byPath.Success)
        {
            var tag = byPath.Groups["kind"].Value switch { "uuid" => "UUID", "label" => "LABEL", "partuuid" => "PARTUUID", _ => "PARTLABEL" };
            return (tag, DecodeUdev(byPath.Groups["value"].Value), null);
        }
        var device = DevicePattern().Match(spec);
        if (device.Success)
            return (null, null, device.Groups["n"].Success ? int.Parse(device.Groups["n"].Value, CultureInfo.InvariantCulture) : 0);
        return (null, null, null);
    }

    /// <summary>fstab writes a space as \040 (and tab, newline, backslash likewise).</summary>
    private static string Unescape(string field) =>
        OctalEscape().Replace(field, m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());

    /// <summary>udev's /dev/disk/by-label names write unsafe bytes as \xNN.</summary>
    private static string DecodeUdev(string value)
    {
        if (!value.Contains("\\x", StringComparison.Ordinal)) return value;
        var bytes = new List<byte>();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 3 < value.Length && value[i + 1] == 'x'
                && byte.TryParse(value.AsSpan(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(value[i].ToString()));
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    [GeneratedRegex(@"^(?<tag>UUID|LABEL|PARTUUID|PARTLABEL)=(?<value>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^/dev/disk/by-(?<kind>uuid|label|partuuid|partlabel)/(?<value>.+)$")]
    private static partial Regex ByPathPattern();

    /// <summary>The first disk under the names Linux gives it: sda, vda, hda, xvda, nvme0n1, mmcblk0; with its partition number.</summary>
    [GeneratedRegex(@"^/dev/(?:(?:[shv]|xv)da(?<n>[0-9]+)?|(?:nvme0n1|mmcblk0)(?:p(?<n>[0-9]+))?)$")]
    private static partial Regex DevicePattern();

    [GeneratedRegex(@"\\([0-7]{3})")]
    private static partial Regex OctalEscape();
}
