using System.Text.Json;
using Builder.Processes;

namespace Builder.Templates.Repositories;

/// <summary>
/// A downloaded template must be a standalone image: no backing file and no external data file,
/// either of which would make every build read a file of the build host that the repository chose.
/// qemu-img info reports both; the format is given (-f), never probed.
/// </summary>
public static class StandaloneImage
{
    public static async Task CheckAsync(string image, string format, string name, CancellationToken cancellationToken)
    {
        if (format.Length == 0 || !format.All(char.IsAsciiLetterOrDigit)) throw RepositoryException.FormatMismatch(name, format, "unknown");
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync("qemu-img", ["info", "-U", "--output=json", "-f", format, "--", image], cancellationToken);
        }
        catch (ProgramNotFoundException e)
        {
            throw RepositoryException.ToolFailed("qemu-img", "to start", e.Message);
        }
        if (result.ExitCode != 0)
            throw RepositoryException.ToolFailed("qemu-img", $"to read the template {name} as {format}", result.StandardError.Trim().Replace("qemu-img: ", ""));
        using var json = JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;
        if (root.TryGetProperty("backing-filename", out var backing)) throw RepositoryException.HasBackingFile(name, backing.GetString() ?? "?");
        if (root.TryGetProperty("format-specific", out var specific) && specific.TryGetProperty("data", out var data)
            && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("data-file", out var dataFile))
            throw RepositoryException.HasBackingFile(name, "data file " + dataFile.GetString());
    }
}
