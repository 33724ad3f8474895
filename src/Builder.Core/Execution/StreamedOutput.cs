namespace Builder.Execution;

/// <summary>
/// The file behind <see cref="BuildOptions.OutputStream"/>: the build writes the image as it writes
/// any output (a pending file renamed into place, with its manifest), but into a private work folder
/// beside the recipe's output path. Once the image is complete it is copied to the stream; the
/// folder and everything in it go on dispose, whatever happened.
/// </summary>
internal sealed class StreamedOutput : IDisposable
{
    private const int BufferSize = 1 << 20;

    private readonly WorkArea area;

    private StreamedOutput(WorkArea area, string path)
    {
        this.area = area;
        Path = path;
    }

    /// <summary>Where the build writes the image.</summary>
    public string Path { get; }

    /// <summary>A folder for the image when the options ask for a stream; null when the image goes to a file.</summary>
    public static StreamedOutput? Begin(BuildOptions options, string outputPath)
    {
        if (options.OutputStream is null) return null;
        var area = WorkArea.CreateBeside(outputPath);
        return new StreamedOutput(area, System.IO.Path.Combine(area.Path, System.IO.Path.GetFileName(outputPath)));
    }

    /// <summary>Copies the finished image to <paramref name="stream"/>, in order, and flushes it.</summary>
    public async Task CopyToAsync(Stream stream, CancellationToken cancellationToken)
    {
        await using var image = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        await image.CopyToAsync(stream, BufferSize, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    public void Dispose() => area.Dispose();
}
