using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Builder.Diagnostics;
using Builder.Recipes.Yaml;

namespace Builder.Steps.Options;

/// <summary>One environment variable's value: written in the recipe, or a secret read when the step runs.</summary>
public sealed record EnvironmentValue(string? Literal, SecretVariable? FromEnv, SecretFile? FromFile);

/// <summary>
/// `env: { NAME: value, TOKEN: { from-env: CI_TOKEN }, KEY: { from-file: secrets/key } }`. Literal
/// values are part of the step's id; secrets enter it by name only.
/// </summary>
public sealed partial class EnvironmentOptionType : OptionType
{
    private static readonly SecretVariableOptionType Variable = new();
    private static readonly SecretFileOptionType FileSecret = new();

    public override Type ClrType => typeof(IReadOnlyDictionary<string, EnvironmentValue>);
    public override string DocName => "environment";

    public override JsonObject Schema() => new()
    {
        ["type"] = "object",
        ["propertyNames"] = new JsonObject { ["pattern"] = "^[A-Za-z_][A-Za-z0-9_]*$" },
        ["additionalProperties"] = new JsonObject
        {
            ["oneOf"] = new JsonArray(
                new JsonObject { ["type"] = new JsonArray("string", "number", "boolean") },
                new JsonObject
                {
                    ["type"] = "object",
                    ["additionalProperties"] = false,
                    ["properties"] = new JsonObject { ["from-env"] = Variable.Schema(), ["from-file"] = FileSecret.Schema() },
                    ["oneOf"] = new JsonArray(new JsonObject { ["required"] = new JsonArray("from-env") },
                        new JsonObject { ["required"] = new JsonArray("from-file") }),
                }),
        },
    };

    public override object? Bind(YamlNode node, BindContext context)
    {
        if (node is not MappingNode mapping)
        {
            context.Diagnostics.Error(DiagnosticCodes.WrongType, $"expected a mapping of environment variables, found {node.KindName}",
                node.Span, node.Path, "write env: { NAME: value, TOKEN: { from-env: CI_TOKEN } }");
            return null;
        }
        var values = new SortedDictionary<string, EnvironmentValue>(StringComparer.Ordinal);
        var ok = true;
        foreach (var (key, value) in mapping.Entries.Select(e => (e.Key, e.Value)))
        {
            if (!Name().IsMatch(key.Value))
            {
                Invalid(key, context, $"'{key.Value}' is not an environment variable name", "letters, digits and '_', not starting with a digit");
                ok = false;
                continue;
            }
            var bound = BindValue(value, context);
            if (bound is null) ok = false;
            else values[key.Value] = bound;
        }
        return ok ? values : null;
    }

    private static EnvironmentValue? BindValue(YamlNode value, BindContext context)
    {
        if (value is ScalarNode { IsNull: false } literal) return new EnvironmentValue(literal.Value, null, null);
        if (value is MappingNode { Entries.Count: 1 } secret)
        {
            var (key, inner) = (secret.Entries[0].Key, secret.Entries[0].Value);
            if (key.Value == "from-env") return Variable.Bind(inner, context) is SecretVariable v ? new EnvironmentValue(null, v, null) : null;
            if (key.Value == "from-file") return FileSecret.Bind(inner, context) is SecretFile f ? new EnvironmentValue(null, null, f) : null;
        }
        context.Diagnostics.Error(DiagnosticCodes.WrongType, $"expected a value, or {{ from-env: NAME }} or {{ from-file: PATH }}, found {value.KindName}",
            value.Span, value.Path, "secrets come from the build's environment or a host file, never from the recipe");
        return null;
    }

    public override JsonNode Canonical(object value) =>
        new JsonObject(((IReadOnlyDictionary<string, EnvironmentValue>)value).Select(p => KeyValuePair.Create(p.Key, p.Value switch
        {
            { Literal: { } literal } => (JsonNode?)JsonValue.Create(literal),
            { FromEnv: { } variable } => new JsonObject { ["from-env"] = variable.Name },
            { FromFile: { } file } => new JsonObject { ["from-file"] = file.Path },
            _ => null,
        })));

    public override IEnumerable<string> Secrets(object value) =>
        ((IReadOnlyDictionary<string, EnvironmentValue>)value).Values.SelectMany(v => v switch
        {
            { FromEnv: { } variable } => Variable.Secrets(variable),
            { FromFile: { } file } => FileSecret.Secrets(file),
            _ => [],
        });

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Name();
}

/// <summary>A host folder, relative to the recipe; its whole tree is an input of the step.</summary>
public sealed class LocalFolderOptionType : OptionType
{
    public override Type ClrType => typeof(LocalFolder);
    public override string DocName => "host folder";
    public override JsonObject Schema() => new() { ["type"] = "string", ["minLength"] = 1 };

    public override object? Bind(YamlNode node, BindContext context)
    {
        if (HostPaths.BindInput(node, context, "a folder path") is not var (written, full)) return null;
        if (Directory.Exists(full)) return new LocalFolder(written, full);
        context.Diagnostics.Error(DiagnosticCodes.MissingFile, $"the folder '{written}' does not exist", node.Span, node.Path,
            File.Exists(full) ? "this is a file; upload copies files" : "paths are relative to the recipe's folder");
        return null;
    }

    public override JsonNode Canonical(object value) => JsonValue.Create(((LocalFolder)value).Path);

    public override IEnumerable<LocalFile> Inputs(object value) => [new LocalFile(((LocalFolder)value).Path, ((LocalFolder)value).FullPath)];
}
