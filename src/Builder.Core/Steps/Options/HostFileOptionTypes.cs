using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Builder.Diagnostics;
using Builder.Recipes.Yaml;

namespace Builder.Steps.Options;

/// <summary>
/// Host paths are written relative to the recipe's folder. Inputs (files and folders read into the
/// image) must stay in it, symlinks followed, unless the recipe is loaded with
/// <see cref="BindContext.AllowOutsideInputs"/>; outputs may go anywhere.
/// </summary>
internal static class HostPaths
{
    /// <summary>A path read from: bound as <see cref="Bind"/> does, then refused when it leads outside the recipe's folder.</summary>
    public static (string Written, string Full)? BindInput(YamlNode node, BindContext context, string expected)
    {
        if (Bind(node, context, expected) is not var (written, full)) return null;
        if (context.AllowOutsideInputs) return (written, full);
        var real = HostPathResolver.RealPath(full);
        if (HostPathResolver.IsInside(real, context.RealRecipeDirectory)) return (written, full);
        var leadsTo = real == full ? "" : $" (it leads to {real})";
        context.Diagnostics.Error(DiagnosticCodes.OutsideInput, $"'{written}' is outside the recipe's folder{leadsTo}", node.Span, node.Path,
            $"host inputs must be in {context.RealRecipeDirectory}; move it there, or pass --allow-outside-inputs if you trust this recipe");
        return null;
    }

    public static (string Written, string Full)? Bind(YamlNode node, BindContext context, string expected)
    {
        if (node is not ScalarNode { IsNull: false } scalar)
        {
            context.Diagnostics.Error(DiagnosticCodes.WrongType, $"expected {expected}, found {node.KindName}", node.Span, node.Path);
            return null;
        }
        if (scalar.Value.Length == 0 || scalar.Value.Contains('\0'))
        {
            context.Diagnostics.Error(DiagnosticCodes.InvalidValue, $"'{scalar.Value}' is not a usable file path", node.Span, node.Path);
            return null;
        }
        return (scalar.Value, Path.GetFullPath(Path.Combine(context.RecipeDirectory, scalar.Value)));
    }

    public static bool MustExist(YamlNode node, BindContext context, string written, string full)
    {
        if (File.Exists(full)) return true;
        var hint = Directory.Exists(full)
            ? "this is a folder; name a file"
            : "paths are relative to the recipe's folder";
        context.Diagnostics.Error(DiagnosticCodes.MissingFile, $"the file '{written}' does not exist", node.Span, node.Path, hint);
        return false;
    }
}

public sealed class LocalFileOptionType : OptionType
{
    public override Type ClrType => typeof(LocalFile);
    public override string DocName => "host file";
    public override JsonObject Schema() => new() { ["type"] = "string", ["minLength"] = 1 };

    public override object? Bind(YamlNode node, BindContext context) =>
        HostPaths.BindInput(node, context, "a file path") is var (written, full) && HostPaths.MustExist(node, context, written, full)
            ? new LocalFile(written, full)
            : null;

    public override JsonNode Canonical(object value) => JsonValue.Create(((LocalFile)value).Path);

    public override IEnumerable<LocalFile> Inputs(object value) => [(LocalFile)value];
}

public sealed class SecretFileOptionType : OptionType
{
    public override Type ClrType => typeof(SecretFile);
    public override string DocName => "host file (secret)";
    public override JsonObject Schema() => new() { ["type"] = "string", ["minLength"] = 1 };

    public override object? Bind(YamlNode node, BindContext context) =>
        HostPaths.BindInput(node, context, "a file path") is var (written, full) && HostPaths.MustExist(node, context, written, full)
            ? new SecretFile(written, full)
            : null;

    public override JsonNode Canonical(object value) => JsonValue.Create(((SecretFile)value).Path);

    public override IEnumerable<string> Secrets(object value) => [$"file:{((SecretFile)value).Path}"];
}

public sealed class HostOutputFileOptionType : OptionType
{
    public override Type ClrType => typeof(HostOutputFile);
    public override string DocName => "host file (written)";
    public override JsonObject Schema() => new() { ["type"] = "string", ["minLength"] = 1 };

    public override object? Bind(YamlNode node, BindContext context) =>
        HostPaths.Bind(node, context, "a file path") is var (written, full) ? new HostOutputFile(written, full) : null;

    public override JsonNode Canonical(object value) => JsonValue.Create(((HostOutputFile)value).Path);
}

public sealed partial class SecretVariableOptionType : OptionType
{
    public override Type ClrType => typeof(SecretVariable);
    public override string DocName => "environment variable name";
    public override JsonObject Schema() => new() { ["type"] = "string", ["pattern"] = "^[A-Za-z_][A-Za-z0-9_]*$" };

    public override object? Bind(YamlNode node, BindContext context)
    {
        var scalar = ExpectScalar(node, context, "an environment variable name");
        if (scalar is null) return null;
        if (VariableName().IsMatch(scalar.Value)) return new SecretVariable(scalar.Value);
        Invalid(node, context, $"'{scalar.Value}' is not an environment variable name",
            "name the variable, not its value: letters, digits and '_', for example ROOT_PASSWORD");
        return null;
    }

    public override JsonNode Canonical(object value) => JsonValue.Create(((SecretVariable)value).Name);

    public override IEnumerable<string> Secrets(object value) => [$"env:{((SecretVariable)value).Name}"];

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();
}
