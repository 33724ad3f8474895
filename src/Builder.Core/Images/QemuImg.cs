using System.Globalization;
using System.Text.Json;
using Builder.Processes;

namespace Builder.Images;

/// <summary><see cref="IDiskImages"/> on the qemu-img program.</summary>
public sealed class QemuImg : IDiskImages
{
    private const string Program = "qemu-img";

    public async Task<DiskInfo> InfoAsync(string path, CancellationToken cancellationToken)
    {
        // -U: do not take qemu's lock, so a template shared with a running build can be inspected.
        var output = await RunAsync("info", ["info", "-U", "--output=json", path], cancellationToken);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        return new DiskInfo(
            root.GetProperty("format").GetString()!,
            root.GetProperty("virtual-size").GetInt64(),
            root.TryGetProperty("actual-size", out var actual) ? actual.GetInt64() : 0,
            root.TryGetProperty("backing-filename", out var backing) ? backing.GetString() : null);
    }

    public Task CreateOverlayAsync(string overlay, string backingFile, string backingFormat, long? size, CancellationToken cancellationToken)
    {
        List<string> arguments = ["create", "-q", "-f", "qcow2", "-F", backingFormat, "-b", Path.GetFullPath(backingFile), overlay];
        if (size is { } bytes) arguments.Add(bytes.ToString(CultureInfo.InvariantCulture));
        return RunAsync("create", arguments, cancellationToken);
    }

    public Task ConvertAsync(string source, string sourceFormat, string target, string targetFormat, CancellationToken cancellationToken) =>
        RunAsync("convert", ["convert", "-q", "-f", sourceFormat, "-O", targetFormat, source, target], cancellationToken);

    private static async Task<string> RunAsync(string operation, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync(Program, arguments, cancellationToken);
        if (result.ExitCode != 0)
            throw new DiskImageException(operation, result.StandardError.Trim().Replace("qemu-img: ", ""));
        return result.StandardOutput;
    }
}
