using System.Formats.Tar;
using System.Security.Cryptography;

namespace Builder.IntegrationTests.Pipeline;

/// <summary>
/// An image's file tree as comparable lines: path, type, mode, owner, and a file's sha256 or a
/// link's target. Read through libguestfs (tar-out of /), whichever backend built the image.
/// </summary>
internal static class TreeManifest
{
    public static async Task<IReadOnlyList<string>> ReadAsync(ImageReader image, string scratchFolder)
    {
        var tar = Path.Combine(scratchFolder, $"tree-{Guid.NewGuid():N}.tar");
        await ((Builder.Guestfs.GuestfsGuest)image.Guest).TarOutAsync("/", tar, CancellationToken.None);
        try
        {
            return Lines(tar);
        }
        finally
        {
            File.Delete(tar);
        }
    }

    private static List<string> Lines(string tarFile)
    {
        var lines = new List<string>();
        using var stream = File.OpenRead(tarFile);
        using var reader = new TarReader(stream);
        while (reader.GetNextEntry() is { } entry)
        {
            var path = "/" + entry.Name.TrimStart('.').TrimStart('/').TrimEnd('/');
            var mode = Convert.ToString((int)entry.Mode, 8).PadLeft(4, '0');
            var what = entry.EntryType switch
            {
                TarEntryType.Directory => "d",
                TarEntryType.SymbolicLink => "l -> " + entry.LinkName,
                TarEntryType.HardLink => "h -> /" + entry.LinkName.TrimStart('.', '/'),
                TarEntryType.RegularFile or TarEntryType.V7RegularFile => "f " + (entry.DataStream is { } data
                    ? Convert.ToHexStringLower(SHA256.HashData(data)) : "empty"),
                var other => other.ToString(),
            };
            lines.Add($"{path} {mode} {entry.Uid}:{entry.Gid} {what}");
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }
}
