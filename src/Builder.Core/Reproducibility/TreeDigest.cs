using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Builder.Guests;

namespace Builder.Reproducibility;

/// <summary>
/// One digest for a whole file tree: sha256 over every entry's record, in path order (ordinal).
/// A record is seven fields, each ended by a NUL (no field can hold one): path, type, mode (4 octal
/// digits), uid, gid, size, and a file's content sha256, a symlink's target or a device's
/// "major:minor" (empty for anything else). Modification times and xattrs are not part of it:
/// builds do not make them reproducible yet.
/// </summary>
public static class TreeDigest
{
    public static string Of(IEnumerable<GuestTreeEntry> entries)
    {
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var entry in entries.OrderBy(e => e.Path, StringComparer.Ordinal))
            sha256.AppendData(Encoding.UTF8.GetBytes(Record(entry)));
        return "sha256:" + Convert.ToHexStringLower(sha256.GetHashAndReset());
    }

    public static string Record(GuestTreeEntry entry)
    {
        var detail = entry.Type switch
        {
            GuestTreeEntryType.File => entry.Sha256,
            GuestTreeEntryType.Symlink => entry.Target,
            GuestTreeEntryType.CharDevice or GuestTreeEntryType.BlockDevice => entry.Device,
            _ => null,
        };
        return string.Join('\0', entry.Path, TypeName(entry.Type), Mode(entry.Mode), Number(entry.Uid), Number(entry.Gid),
            entry.Size.ToString(CultureInfo.InvariantCulture), detail ?? "") + '\0';
    }

    /// <summary>"file", "directory", "symlink", "char-device", "block-device" or "fifo".</summary>
    public static string TypeName(GuestTreeEntryType type) => type switch
    {
        GuestTreeEntryType.File => "file",
        GuestTreeEntryType.Directory => "directory",
        GuestTreeEntryType.Symlink => "symlink",
        GuestTreeEntryType.CharDevice => "char-device",
        GuestTreeEntryType.BlockDevice => "block-device",
        _ => "fifo",
    };

    /// <summary>Permission bits as four octal digits: 0644, 4755.</summary>
    public static string Mode(int mode) => Convert.ToString(mode & 0xFFF, 8).PadLeft(4, '0');

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
