using System.Text.Json;
using System.Text.Json.Nodes;
using Builder.Recipes;
using Builder.Steps;
using Builder.Steps.Options;

namespace Builder.Schema;

/// <summary>
/// schemas/recipe.schema.json, generated from the step registry (JSON Schema 2020-12). Editors
/// use it for completion; `builder schema` prints it; a test fails when the committed copy is stale.
/// </summary>
public static class RecipeSchema
{
    public static string Generate(StepRegistry registry)
    {
        var definitions = new JsonObject();
        foreach (var kind in registry.Kinds) definitions[kind.Name] = StepSchema(kind);
        definitions["step"] = new JsonObject
        {
            ["description"] = "One step: a mapping from the step's kind to its options",
            ["oneOf"] = new JsonArray(registry.Kinds.Select(k => (JsonNode)Ref(k.Name)).ToArray()),
        };

        var schema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["title"] = "Builder recipe",
            ["description"] = "A recipe: a template and the steps that turn it into an image. Generated from the step registry by `builder schema`; do not edit.",
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["required"] = new JsonArray("template"),
            ["properties"] = new JsonObject
            {
                ["name"] = Described(new JsonObject { ["type"] = "string", ["pattern"] = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$" },
                    "The image's name; the recipe file's name when omitted"),
                ["template"] = Described(new JsonObject { ["type"] = "string", ["minLength"] = 1 },
                    "The base disk image, relative to the recipe; it is never written"),
                ["size"] = Described(new JsonObject { ["type"] = new JsonArray("string", "integer"), ["pattern"] = "^[0-9]+(\\.[0-9]+)?\\s*([KMGTkmgt](i?[Bb])?|[Bb])?$" },
                    "Grow the disk to this virtual size (8G, 512M); disks never shrink"),
                ["output"] = Described(new JsonObject
                {
                    ["type"] = "object",
                    ["additionalProperties"] = false,
                    ["properties"] = new JsonObject
                    {
                        ["path"] = Described(new JsonObject { ["type"] = "string", ["minLength"] = 1 },
                            "Where to write the image, relative to the recipe; out/NAME.FORMAT when omitted"),
                        ["format"] = Described(new JsonObject { ["enum"] = new JsonArray(ImageFormats.Names.Select(n => (JsonNode)n).ToArray()) },
                            "The image format: " + string.Join("; ", OutputFormatOptions.All.Select(o => $"{o.Format.Name()} for {o.For}"))
                            + ". From the path's extension when omitted (.raw and .img are raw, .vmdk vmdk, .vhdx vhdx, .vhd and .vpc vpc, otherwise qcow2)"),
                        ["subformat"] = Described(new JsonObject { ["enum"] = new JsonArray(SubformatNames()) },
                            "The format's variant, for " + string.Join("; ", OutputFormatOptions.All.Where(o => o.Subformats.Count > 0)
                                .Select(o => $"{o.Format.Name()}: {string.Join(" or ", o.Subformats)} (default {o.DefaultSubformat})"))),
                        ["compress"] = Described(new JsonObject { ["type"] = "boolean" },
                            "Write a compressed qcow2 (qcow2 only; a streamOptimized vmdk is always compressed); default false"),
                        ["sparsify"] = Described(new JsonObject { ["type"] = "boolean" },
                            "Trim every filesystem before the image is written, so freed blocks are not in it; default true"),
                        ["tree-digest"] = Described(new JsonObject { ["type"] = "boolean" },
                            "Put a digest of the whole file tree in the manifest; it reads every file once (seconds on the host backend, about a minute on the appliance); default false"),
                        ["reproducible"] = Described(new JsonObject { ["type"] = "boolean" },
                            "Make the same recipe and template give the same bytes: build noise removed, every filesystem made again from its tree with times clamped to the source date (qcow2 or raw, needs a source date); default false"),
                        ["backing"] = Described(new JsonObject { ["enum"] = new JsonArray("none", "template") },
                            "template: write a small qcow2 overlay backed by the shared template instead of a standalone image"),
                        ["backing-path"] = Described(new JsonObject { ["enum"] = new JsonArray("absolute", "relative") },
                            "How the overlay names its template: absolute (default), or relative to the output, so the two can move together"),
                    },
                }, "Where and how to write the image"),
                ["backend"] = Described(new JsonObject { ["enum"] = new JsonArray("auto", "host", "appliance") },
                    "Which backend runs the steps: host (chroot on the build host, as root) or appliance (libguestfs VM); auto picks host where it can"),
                ["source-date-epoch"] = Described(new JsonObject { ["type"] = "integer", ["minimum"] = 0, ["maximum"] = Reproducibility.SourceDate.MaxEpoch },
                    "The build's source date, in seconds since 1970-01-01 UTC; else SOURCE_DATE_EPOCH, else the recipe's last git commit. The plan and the manifest record it"),
                ["steps"] = Described(new JsonObject { ["type"] = "array", ["items"] = Ref("step") },
                    "What to do to the template, in order (passwords are set last)"),
            },
            ["$defs"] = definitions,
        };
        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static JsonObject StepSchema(IStepKind kind)
    {
        var options = OptionsSchemas.For(kind.Options);
        var value = kind.Options.Shorthand is { } shorthand
            ? new JsonObject { ["oneOf"] = new JsonArray(Described(shorthand.Type.Schema(), $"Short for {{ {shorthand.Name}: … }}"), options) }
            : options;
        var mapping = new JsonObject
        {
            ["type"] = "object",
            ["description"] = kind.Summary,
            ["additionalProperties"] = false,
            ["required"] = new JsonArray(kind.Name),
            ["properties"] = new JsonObject
            {
                [kind.Name] = value,
                ["checkpoint"] = Described(new JsonObject { ["type"] = "boolean" },
                    "End a cached layer after this step, so a rebuild resumes after it"),
            },
        };
        if (kind.Options.Fields.Any(f => f.Required)) return mapping;
        // A kind whose options are all optional may be written bare: "- kind".
        return new JsonObject { ["oneOf"] = new JsonArray(mapping, new JsonObject { ["const"] = kind.Name }) };
    }

    private static JsonNode[] SubformatNames() =>
        OutputFormatOptions.All.SelectMany(o => o.Subformats).Distinct(StringComparer.Ordinal).Select(n => (JsonNode)n).ToArray();

    private static JsonObject Ref(string name) => new() { ["$ref"] = $"#/$defs/{name}" };

    private static JsonObject Described(JsonObject schema, string description)
    {
        schema["description"] = description;
        return schema;
    }
}
