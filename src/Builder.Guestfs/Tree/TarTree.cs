using System.Formats.Tar;
using System.Security.Cryptography;
using Builder.Guests;

namespace Builder.Guestfs.Tree;

/// <summary>
/// A tar stream of a guest folder (guestfs_tar_out with numeric owners and xattrs) read as
/// <see cref="GuestTreeEntry"/>s, hashing each file as it streams by. A hard link becomes the file
/// it names again; xattrs come from the PAX records GNU tar writes for them.
/// </summary>
internal static class TarTree
{
    private const string XattrPrefix = "SCHILY.xattr.";

    /// <summary>Reads the whole stream, to its end (past the archive's end marker), so the writer never sees a closed pipe.</summary>
    public static IReadOnlyList<GuestTreeEntry> Read(Stream stream, CancellationToken cancellationToken)
    {
        var entries = new List<GuestTreeEntry>();
        var files = new Dictionary<string, GuestTreeEntry>(StringComparer.Ordinal);
        using (var reader = new TarReader(stream, leaveOpen: true))
        {
            while (reader.GetNextEntry(copyData: false) is { } tar)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Entry(tar, files) is not { } entry) continue;
                entries.Add(entry);
                if (entry.Type == GuestTreeEntryType.File) files[entry.Path] = entry;
            }
        }
        stream.CopyTo(Stream.Null);
        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return entries;
    }

    private static GuestTreeEntry? Entry(TarEntry tar, Dictionary<string, GuestTreeEntry> files)
    {
        var path = PathOf(tar.Name);
        var entry = new GuestTreeEntry(path, GuestTreeEntryType.Directory, (int)tar.Mode, tar.Uid, tar.Gid, 0, null, null, null,
            tar.ModificationTime.ToUnixTimeSeconds(), Xattrs(tar));
        switch (tar.EntryType)
        {
            case TarEntryType.Directory:
                return entry;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                return entry with { Type = GuestTreeEntryType.File, Size = tar.Length, Sha256 = Hash(tar.DataStream) };
            case TarEntryType.HardLink:
                var linked = files.GetValueOrDefault(PathOf(tar.LinkName))
                             ?? throw new InvalidDataException($"tar-out: {path} is a hard link to {tar.LinkName}, which came before it");
                return entry with { Type = GuestTreeEntryType.File, Size = linked.Size, Sha256 = linked.Sha256 };
            case TarEntryType.SymbolicLink:
                return entry with { Type = GuestTreeEntryType.Symlink, Target = tar.LinkName };
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice when tar is PosixTarEntry device:
                return entry with
                {
                    Type = tar.EntryType == TarEntryType.CharacterDevice ? GuestTreeEntryType.CharDevice : GuestTreeEntryType.BlockDevice,
                    Device = $"{device.DeviceMajor}:{device.DeviceMinor}",
                };
            case TarEntryType.Fifo:
                return entry with { Type = GuestTreeEntryType.Fifo };
            default:
                throw new InvalidDataException($"tar-out: {path} is a {tar.EntryType} entry, which a file tree does not hold");
        }
    }

    /// <summary>"./etc/motd" → "/etc/motd"; "./" → "/".</summary>
    public static string PathOf(string name)
    {
        var relative = name.StartsWith("./", StringComparison.Ordinal) ? name[2..] : name == "." ? "" : name;
        return "/" + relative.Trim('/');
    }

    private static string Hash(Stream? data) =>
        Convert.ToHexStringLower(data is null ? SHA256.HashData(ReadOnlySpan<byte>.Empty) : SHA256.HashData(data));

    private static IReadOnlyDictionary<string, string> Xattrs(TarEntry tar)
    {
        if (tar is not PaxTarEntry pax) return GuestTreeEntry.NoXattrs;
        var xattrs = pax.ExtendedAttributes.Where(a => a.Key.StartsWith(XattrPrefix, StringComparison.Ordinal)).ToList();
        return xattrs.Count == 0
            ? GuestTreeEntry.NoXattrs
            : new SortedDictionary<string, string>(xattrs.ToDictionary(a => a.Key[XattrPrefix.Length..], a => a.Value), StringComparer.Ordinal);
    }
}
