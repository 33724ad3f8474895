using System.Security.Cryptography;
using Builder.Images;

namespace Builder.Tests.Execution;

/// <summary>An image's sha256, read in chunks while the one before is hashed: the same digest as hashing the file at once.</summary>
public sealed class ImageSha256Tests : IDisposable
{
    private readonly string file = Path.GetTempFileName();

    public void Dispose() => File.Delete(file);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4 << 20)]
    [InlineData((9 << 20) + 12345)]
    public async Task Gives_the_sha256_of_the_whole_file_whatever_its_length(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        await File.WriteAllBytesAsync(file, bytes);

        var digest = await ImageSha256.OfAsync(file, CancellationToken.None);

        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)), digest);
    }
}
