using System.Security.Cryptography;

namespace Builder.Images;

/// <summary>The sha256 of an image file ("sha256:HEX"): a template in the store, a cached layer, an output for its manifest.</summary>
internal static class ImageSha256
{
    private const int ChunkSize = 4 << 20;

    /// <summary>
    /// Reads the next chunk while the one before is hashed, so reading costs no time of its own:
    /// the hash runs at the speed of SHA-256 on this CPU.
    /// </summary>
    public static async Task<string> OfAsync(string file, CancellationToken cancellationToken)
    {
        using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] current = new byte[ChunkSize], next = new byte[ChunkSize];
        long offset = 0;
        var reading = Task.Run(() => RandomAccess.Read(handle, current, offset), cancellationToken);
        while (await reading is var length and > 0)
        {
            offset += length;
            var readInto = next;
            var readFrom = offset;
            reading = Task.Run(() => RandomAccess.Read(handle, readInto, readFrom), cancellationToken);
            hash.AppendData(current, 0, length);
            (current, next) = (next, current);
        }
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
