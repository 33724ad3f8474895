using System.Text.Json;
using System.Text.Json.Nodes;
using Builder.Planning;
using Builder.Recipes;
using Builder.Reproducibility;

namespace Builder.Execution;

/// <summary>What a build learned about its output, for the manifest.</summary>
/// <param name="Contents">Packages and tree digest from the finish; null when there was none (a recipe without steps).</param>
/// <param name="OutputSha256">"sha256:HEX" of the output file (for a thin output, the overlay file).</param>
internal sealed record ManifestFacts(ImageContents? Contents, string OutputSha256);

/// <summary>
/// manifest.json beside the image: which template and steps made it, its source date, what is in it
/// (installed packages, tree digest) and the output file's sha256. Holds no secret and no clock
/// time, so two builds of the same plan on the same backend write the same manifest, but for the
/// output's sha256 where the image's bytes differ.
/// </summary>
public static class Manifest
{
    /// <summary>Where the manifest of the image at <paramref name="outputPath"/> is: "out/web.qcow2.manifest.json".</summary>
    public static string PathFor(string outputPath) => outputPath + ".manifest.json";

    internal static string Create(BuildPlan plan, string backend, ImageFormat format, ManifestFacts facts)
    {
        var manifest = new JsonObject
        {
            ["recipe"] = plan.Recipe.Name,
            ["template"] = new JsonObject { ["path"] = plan.Template.Path, ["digest"] = plan.Template.Digest },
            ["size"] = plan.Recipe.Size?.Bytes,
            ["format"] = format.Name(),
            ["backend"] = backend,
            ["id"] = plan.FinalId,
            ["steps"] = new JsonArray(plan.Steps.Select(s => (JsonNode)new JsonObject
            {
                ["id"] = s.Id.Hex,
                ["kind"] = s.Kind,
            }).ToArray()),
            ["source-date-epoch"] = plan.SourceDate?.Epoch,
        };
        if (plan.SourceDate is { } sourceDate) manifest["source-date-from"] = sourceDate.From;
        if (facts.Contents is { } contents) contents.AddTo(manifest);
        else
        {
            manifest["packages-omitted"] = "the recipe has no steps: the image is the template as it is, and no guest session read it";
            manifest["tree-digest"] = null;
        }
        manifest["output-sha256"] = facts.OutputSha256;
        return manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }
}
