using System.Globalization;
using Builder.Guests;

namespace Builder.Reproducibility;

/// <summary>
/// Compares two file trees path by path: paths only in B are added, paths only in A removed, and
/// a path in both changed when its type, content, size, mode, owner, symlink target, device
/// numbers or extended attributes differ (and, when asked, its modification time). Sorted by path.
/// </summary>
public static class TreeDiff
{
    /// <param name="mtimes">Compare modification times too: builds do not make them reproducible yet, so by default they are not.</param>
    public static DiffResult Compare(IEnumerable<GuestTreeEntry> a, IEnumerable<GuestTreeEntry> b, bool mtimes = false)
    {
        var before = a.ToDictionary(e => e.Path, StringComparer.Ordinal);
        var after = b.ToDictionary(e => e.Path, StringComparer.Ordinal);
        var entries = new List<DiffEntry>();
        foreach (var path in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            if (!before.TryGetValue(path, out var old)) entries.Add(new DiffEntry(path, DiffKind.Added, []));
            else if (!after.TryGetValue(path, out var now)) entries.Add(new DiffEntry(path, DiffKind.Removed, []));
            else if (Changes(old, now, mtimes) is { Count: > 0 } changes) entries.Add(new DiffEntry(path, DiffKind.Changed, changes));
        }
        return new DiffResult("images", entries);
    }

    public static IReadOnlyList<AttributeChange> Changes(GuestTreeEntry a, GuestTreeEntry b, bool mtimes)
    {
        var changes = new List<AttributeChange>();
        if (a.Type != b.Type) changes.Add(new AttributeChange("type", TreeDigest.TypeName(a.Type), TreeDigest.TypeName(b.Type)));
        else
        {
            if (a.Sha256 != b.Sha256) changes.Add(new AttributeChange("content"));
            if (a.Size != b.Size) changes.Add(new AttributeChange("size", Number(a.Size), Number(b.Size)));
            if (a.Target != b.Target) changes.Add(new AttributeChange("target", a.Target, b.Target));
            if (a.Device != b.Device) changes.Add(new AttributeChange("device", a.Device, b.Device));
        }
        if (a.Mode != b.Mode) changes.Add(new AttributeChange("mode", TreeDigest.Mode(a.Mode), TreeDigest.Mode(b.Mode)));
        if (a.Uid != b.Uid || a.Gid != b.Gid) changes.Add(new AttributeChange("owner", $"{a.Uid}:{a.Gid}", $"{b.Uid}:{b.Gid}"));
        if (mtimes && a.Modified != b.Modified) changes.Add(new AttributeChange("mtime", Time(a.Modified), Time(b.Modified)));
        foreach (var name in a.Xattrs.Keys.Union(b.Xattrs.Keys).Order(StringComparer.Ordinal))
        {
            var (had, has) = (a.Xattrs.TryGetValue(name, out var was), b.Xattrs.TryGetValue(name, out var now));
            if (had && has && was == now) continue;
            changes.Add(new AttributeChange($"xattr {name} {(!had ? "added" : !has ? "removed" : "changed")}"));
        }
        return changes;
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Time(long seconds) =>
        DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
