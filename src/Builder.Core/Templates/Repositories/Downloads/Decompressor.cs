using System.IO.Compression;
using Builder.Processes;
using Builder.Templates.Repositories.Index;

namespace Builder.Templates.Repositories.Downloads;

/// <summary>Unpacks a downloaded template: .xz with the xz program (xz-utils), .gz in-process; anything else is used as it is.</summary>
public static class Decompressor
{
    /// <returns>The uncompressed image: <paramref name="output"/>, or <paramref name="downloaded"/> itself when it is not compressed.</returns>
    public static async Task<string> DecompressAsync(string downloaded, Compression compression, string output, CancellationToken cancellationToken)
    {
        switch (compression)
        {
            case Compression.Xz:
                (int ExitCode, string Error) result;
                try
                {
                    result = await StreamingProcess.RunToFileAsync("xz", ["--decompress", "--stdout", "--threads=0", "--", downloaded], output, cancellationToken);
                }
                catch (ProgramNotFoundException)
                {
                    throw RepositoryException.ToolFailed("xz", "to start", "xz is not installed (Debian and Ubuntu: apt-get install xz-utils)");
                }
                if (result.ExitCode != 0) throw RepositoryException.ToolFailed("xz", "to decompress the template", result.Error);
                break;
            case Compression.Gzip:
                try
                {
                    await using var source = new GZipStream(File.OpenRead(downloaded), CompressionMode.Decompress);
                    await using var target = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true);
                    await source.CopyToAsync(target, 1 << 20, cancellationToken);
                }
                catch (InvalidDataException e)
                {
                    throw RepositoryException.ToolFailed("gzip", "to decompress the template", e.Message);
                }
                break;
            default:
                return downloaded;
        }
        File.Delete(downloaded);
        return output;
    }
}
