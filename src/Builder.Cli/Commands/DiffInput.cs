using System.Text.Json;
using System.Text.Json.Nodes;
using Builder.Reproducibility;

namespace Builder.Cli.Commands;

/// <summary>One side of `builder diff`: a Builder manifest (JSON) or a disk image (anything else), or why it is neither.</summary>
/// <param name="Manifest">The parsed manifest, when the file is one.</param>
/// <param name="Problem">Why the file cannot be compared: missing, unreadable, JSON that is not a manifest.</param>
internal sealed record DiffInput(string Path, JsonObject? Manifest, string? Problem)
{
    public bool IsManifest => Manifest is not null;

    /// <summary>A file whose first non-blank byte is '{' is read as a manifest; any other file is taken for a disk image.</summary>
    public static DiffInput Classify(string path)
    {
        if (Directory.Exists(path)) return new DiffInput(path, null, "is a folder, not an image or a manifest");
        if (!File.Exists(path)) return new DiffInput(path, null, "does not exist");
        try
        {
            if (!LooksLikeJson(path)) return new DiffInput(path, null, null);
            var json = JsonNode.Parse(File.ReadAllText(path));
            return ManifestDiff.IsManifest(json)
                ? new DiffInput(path, (JsonObject)json!, null)
                : new DiffInput(path, null, "is JSON but not a Builder manifest (it needs template.digest, id and steps)");
        }
        catch (JsonException e)
        {
            return new DiffInput(path, null, $"looks like JSON but does not parse: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new DiffInput(path, null, $"cannot be read: {e.Message}");
        }
    }

    private static bool LooksLikeJson(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> head = stackalloc byte[64];
        var read = stream.Read(head);
        foreach (var b in head[..read])
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') continue;
            return b == (byte)'{';
        }
        return false;
    }
}
