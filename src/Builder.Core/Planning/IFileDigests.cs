using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Builder.Planning;

/// <summary>sha256 of host files and folders: the only I/O the planner does.</summary>
public interface IFileDigests
{
    /// <summary>"sha256:&lt;hex&gt;" of a file's bytes, or of a folder's tree (see <see cref="FolderDigest"/>).</summary>
    string Sha256(string fullPath);
}

/// <summary>Hashes files, remembering each by path, length and modification time for the life of the process.</summary>
public sealed class FileDigests : IFileDigests
{
    private readonly ConcurrentDictionary<(string Path, long Length, DateTime Modified), string> cache = new();

    public string Sha256(string fullPath)
    {
        if (Directory.Exists(fullPath)) return FolderDigest.Of(fullPath, Sha256);
        var info = new FileInfo(fullPath);
        return cache.GetOrAdd((info.FullName, info.Length, info.LastWriteTimeUtc), key =>
        {
            using var stream = new FileStream(key.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stream));
        });
    }
}
