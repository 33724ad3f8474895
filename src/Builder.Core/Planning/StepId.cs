using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Builder.Planning;

/// <summary>
/// The content address of a step: sha256 over its parent (the previous step's id, or the base),
/// its kind, its canonical options, the digests of its input files and the names of its secrets.
/// Equal ids mean equal disk contents after the step.
/// </summary>
public sealed record StepId(string Hex)
{
    /// <summary>Bump when the meaning of an id changes, so old cached results are not reused.</summary>
    public const int SchemeVersion = 1;

    public string Short => Hex[..12];

    public override string ToString() => Hex;

    public static StepId Compute(string parent, string kind, JsonObject options, IReadOnlyDictionary<string, string> inputs,
        IReadOnlyList<string> secrets)
    {
        var document = new JsonObject
        {
            ["v"] = SchemeVersion,
            ["parent"] = parent,
            ["kind"] = kind,
            ["options"] = options.DeepClone(),
            ["inputs"] = new JsonObject(inputs.Select(i => KeyValuePair.Create(i.Key, (JsonNode?)i.Value))),
            ["secrets"] = new JsonArray(secrets.Select(s => (JsonNode?)s).ToArray()),
        };
        return new StepId(Convert.ToHexStringLower(SHA256.HashData(CanonicalJson.Serialize(document))));
    }

    /// <summary>
    /// The id of the image's finish after the layer <paramref name="parent"/>. "records" names what a
    /// cached finish keeps beside its overlay for the manifest (installed packages and tree digest),
    /// so a finish cached before it recorded them is not taken for one that did.
    /// </summary>
    public static string Finish(string parent, bool cleanPackageCaches, bool sparsify, bool treeDigest, bool removeBuildNoise = false)
    {
        var finish = new JsonObject
        {
            ["v"] = SchemeVersion,
            ["parent"] = parent,
            ["kind"] = "finish",
            ["clean-package-caches"] = cleanPackageCaches,
            ["sparsify"] = sparsify,
            ["records"] = treeDigest ? "packages, tree" : "packages",
        };
        if (removeBuildNoise) finish["remove-build-noise"] = true;
        return Convert.ToHexStringLower(SHA256.HashData(CanonicalJson.Serialize(finish)));
    }

    /// <summary>
    /// The parent of the first step: the template's digest, and the disk size when the recipe grows
    /// it. "grow" says that the last partition and its filesystem grow too (before, only the disk did).
    /// </summary>
    public static string Base(string templateDigest, long? size) =>
        size is null
            ? templateDigest
            : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(CanonicalJson.Serialize(
                new JsonObject { ["template"] = templateDigest, ["size"] = size.Value, ["grow"] = "last-partition" })));
}
