using System.Text.Json;
using System.Text.Json.Nodes;

namespace Builder.Cli.Commands.Verify;

/// <summary>A manifest `builder verify` compares: an earlier build's (--against), or one of its own builds'.</summary>
/// <param name="OutputSha256">"sha256:HEX" of the image the manifest describes, as it records it.</param>
internal sealed record OutputManifest(string Path, JsonObject Json, string OutputSha256)
{
    /// <summary>The manifest at <paramref name="path"/>, or why it cannot be compared: missing, unreadable, not a manifest, no output-sha256.</summary>
    public static (OutputManifest? Manifest, string? Problem) Read(string path)
    {
        var input = DiffInput.Classify(path);
        if (input.Problem is { } problem) return (null, $"{path} {problem}");
        if (input.Manifest is not { } json)
            return (null, $"{path} is not a manifest: give the NAME.manifest.json a build wrote beside its image");
        return json["output-sha256"] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? (new OutputManifest(path, json, value.GetValue<string>()), null)
            : (null, $"{path} records no output-sha256, so there is nothing to compare the image with (a manifest from an older builder?)");
    }
}
