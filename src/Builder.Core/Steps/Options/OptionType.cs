using System.Text.Json.Nodes;
using Builder.Diagnostics;
using Builder.Recipes.Yaml;

namespace Builder.Steps.Options;

/// <summary>
/// How one kind of option value is read from YAML, described in the schema and docs, and written
/// canonically for step ids. One instance per CLR type an options record may use.
/// </summary>
public abstract class OptionType
{
    public abstract Type ClrType { get; }

    /// <summary>How the docs name the type: "string", "guest path", "octal mode".</summary>
    public abstract string DocName { get; }

    public abstract JsonObject Schema();

    /// <summary>The value, or null after adding a diagnostic.</summary>
    public abstract object? Bind(YamlNode node, BindContext context);

    public abstract JsonNode Canonical(object value);

    /// <summary>Host files whose bytes are inputs of the step (hashed into its id).</summary>
    public virtual IEnumerable<LocalFile> Inputs(object value) => [];

    /// <summary>Names (never values) of the secrets the value refers to, for ids and plans.</summary>
    public virtual IEnumerable<string> Secrets(object value) => [];

    protected static ScalarNode? ExpectScalar(YamlNode node, BindContext context, string expected)
    {
        if (node is ScalarNode scalar && !scalar.IsNull) return scalar;
        context.Diagnostics.Error(DiagnosticCodes.WrongType, $"expected {expected}, found {node.KindName}", node.Span, node.Path);
        return null;
    }

    protected static void Invalid(YamlNode node, BindContext context, string message, string? hint = null) =>
        context.Diagnostics.Error(DiagnosticCodes.InvalidValue, message, node.Span, node.Path, hint);
}
