using System.Text.Json.Nodes;
using Builder.Diagnostics;
using Builder.Recipes;
using Builder.Recipes.Yaml;

namespace Builder.Steps.Options;

/// <summary>A list of strings: `[nginx, curl]`, or one string for a list of one.</summary>
public sealed class StringListOptionType : OptionType
{
    public override Type ClrType => typeof(IReadOnlyList<string>);
    public override string DocName => "list of strings";
    public override JsonObject Schema() => new()
    {
        ["oneOf"] = new JsonArray(
            new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
            new JsonObject { ["type"] = "string" }),
    };

    public override object? Bind(YamlNode node, BindContext context)
    {
        if (node is ScalarNode { IsNull: false } one) return new[] { one.Value };
        if (node is not SequenceNode sequence)
        {
            context.Diagnostics.Error(DiagnosticCodes.WrongType, $"expected a list of strings, found {node.KindName}", node.Span, node.Path);
            return null;
        }
        var items = new List<string>();
        foreach (var item in sequence.Items)
        {
            if (item is ScalarNode { IsNull: false } scalar) items.Add(scalar.Value);
            else context.Diagnostics.Error(DiagnosticCodes.WrongType, $"expected a string, found {item.KindName}", item.Span, item.Path);
        }
        return items.Count == sequence.Items.Count ? items : null;
    }

    public override JsonNode Canonical(object value) =>
        new JsonArray(((IReadOnlyList<string>)value).Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}

/// <summary>One of an enum's members, written in kebab-case.</summary>
public sealed class EnumOptionType(Type enumType) : OptionType
{
    private readonly Dictionary<string, object> byName = Enum.GetValues(enumType).Cast<object>()
        .ToDictionary(v => OptionsShape.KebabCase(v.ToString()!), v => v, StringComparer.Ordinal);

    public override Type ClrType => enumType;
    public override string DocName => string.Join(" | ", byName.Keys);
    public override JsonObject Schema() => new() { ["enum"] = new JsonArray(byName.Keys.Select(k => (JsonNode?)k).ToArray()) };

    public override object? Bind(YamlNode node, BindContext context)
    {
        var scalar = ExpectScalar(node, context, "one of " + string.Join(", ", byName.Keys));
        if (scalar is null) return null;
        if (byName.TryGetValue(scalar.Value, out var value)) return value;
        Invalid(node, context, $"'{scalar.Value}' is not one of {string.Join(", ", byName.Keys)}", Suggestions.Hint(scalar.Value, byName.Keys, "values"));
        return null;
    }

    public override JsonNode Canonical(object value) => JsonValue.Create(OptionsShape.KebabCase(value.ToString()!));
}

/// <summary>A size such as 2G or 512M (powers of 1024), as <see cref="DataSize"/>.</summary>
public sealed class DataSizeOptionType : OptionType
{
    public override Type ClrType => typeof(DataSize);
    public override string DocName => "size";
    public override JsonObject Schema() => new() { ["type"] = new JsonArray("string", "integer") };

    public override object? Bind(YamlNode node, BindContext context)
    {
        var scalar = ExpectScalar(node, context, "a size such as 2G");
        if (scalar is null) return null;
        if (ByteSize.Parse(scalar.Value) is { } bytes) return new DataSize(bytes);
        Invalid(node, context, $"'{scalar.Value}' is not a size", "write a size such as 2G, 512M or 20GiB");
        return null;
    }

    public override JsonNode Canonical(object value) => JsonValue.Create(((DataSize)value).Bytes);
}

/// <summary>A nested options record: a mapping with its own documented keys.</summary>
public sealed class RecordOptionType(Type recordType) : OptionType
{
    private OptionsShape? shape;

    public OptionsShape Shape => shape ??= OptionsShape.For(recordType);

    public override Type ClrType => recordType;
    public override string DocName => "mapping";
    public override JsonObject Schema() => OptionsSchemas.For(Shape);

    public override object? Bind(YamlNode node, BindContext context) =>
        OptionsBinder.Bind(node.Path.Split('.')[^1], Shape, node, node, context);

    public override JsonNode Canonical(object value) => CanonicalOptions.Of(Shape, value).Options;

    public override IEnumerable<LocalFile> Inputs(object value) =>
        Shape.Values(value).Where(v => v.Value is not null).SelectMany(v => v.Field.Type.Inputs(v.Value!));

    public override IEnumerable<string> Secrets(object value) =>
        Shape.Values(value).Where(v => v.Value is not null).SelectMany(v => v.Field.Type.Secrets(v.Value!));
}

/// <summary>A number of bytes.</summary>
public sealed record DataSize(long Bytes)
{
    public override string ToString() => ByteSize.Format(Bytes);
}
