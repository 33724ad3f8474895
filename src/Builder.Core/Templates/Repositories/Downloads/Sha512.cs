using System.Security.Cryptography;

namespace Builder.Templates.Repositories.Downloads;

/// <summary>The sha512 that virt-builder indexes give for template files (checksum[sha512]=).</summary>
public static class Sha512
{
    public static async Task<string> OfFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        return Convert.ToHexStringLower(await SHA512.HashDataAsync(stream, cancellationToken));
    }
}
