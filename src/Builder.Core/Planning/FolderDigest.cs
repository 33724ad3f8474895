using System.Security.Cryptography;
using System.Text;

namespace Builder.Planning;

/// <summary>
/// The digest of a folder tree: every entry's relative path, type and permission bits, a symlink's
/// target and a file's sha256, in ordinal order. Timestamps and owners do not count (they are not copied).
/// </summary>
public static class FolderDigest
{
    public static string Of(string folder, Func<string, string> fileDigest)
    {
        var manifest = new StringBuilder();
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
        foreach (var path in Directory.EnumerateFileSystemEntries(folder, "*", options).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(folder, path);
            if (new FileInfo(path).LinkTarget is { } target)
            {
                manifest.Append($"l {relative} -> {target}\n");
                continue;
            }
            var mode = Convert.ToString((int)File.GetUnixFileMode(path), 8);
            if (Directory.Exists(path)) manifest.Append($"d {relative} {mode}\n");
            else manifest.Append($"f {relative} {mode} {fileDigest(path)}\n");
        }
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(manifest.ToString())));
    }
}
