using System.Security.Cryptography;

namespace Builder.Execution;

/// <summary>The sha256 of a written image file, for its manifest ("sha256:HEX").</summary>
internal static class OutputChecksum
{
    public static async Task<string> Sha256Async(string file, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
