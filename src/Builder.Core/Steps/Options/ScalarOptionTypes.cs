using System.Text.Json.Nodes;
using Builder.Recipes.Yaml;

namespace Builder.Steps.Options;

public sealed class StringOptionType : OptionType
{
    public override Type ClrType => typeof(string);
    public override string DocName => "string";
    public override JsonObject Schema() => new() { ["type"] = "string" };

    public override object? Bind(YamlNode node, BindContext context) =>
        node is ScalarNode { IsPlain: false } quoted ? quoted.Value : ExpectScalar(node, context, "a string")?.Value;

    public override JsonNode Canonical(object value) => JsonValue.Create((string)value);
}

public sealed class BoolOptionType : OptionType
{
    public override Type ClrType => typeof(bool);
    public override string DocName => "boolean";
    public override JsonObject Schema() => new() { ["type"] = "boolean" };

    public override object? Bind(YamlNode node, BindContext context)
    {
        var scalar = ExpectScalar(node, context, "true or false");
        if (scalar is null) return null;
        if (scalar.IsPlain && scalar.Value is "true" or "True" or "TRUE") return true;
        if (scalar.IsPlain && scalar.Value is "false" or "False" or "FALSE") return false;
        Invalid(node, context, $"expected true or false, found '{scalar.Value}'", "write true or false without quotes");
        return null;
    }

    public override JsonNode Canonical(object value) => JsonValue.Create((bool)value);
}

public sealed class GuestPathOptionType : OptionType
{
    public override Type ClrType => typeof(GuestPath);
    public override string DocName => "guest path";
    public override JsonObject Schema() => new() { ["type"] = "string", ["pattern"] = "^/" };

    public override object? Bind(YamlNode node, BindContext context)
    {
        var scalar = ExpectScalar(node, context, "an absolute guest path");
        if (scalar is null) return null;
        var problem = GuestPath.Problem(scalar.Value, allowGlob: false);
        if (problem is null) return new GuestPath(scalar.Value);
        Invalid(node, context, $"'{scalar.Value}' is not a valid guest path: {problem}", "guest paths are absolute, like /etc/motd");
        return null;
    }

    public override JsonNode Canonical(object value) => JsonValue.Create(((GuestPath)value).Value);
}

public sealed class GuestGlobOptionType : OptionType
{
    public override Type ClrType => typeof(GuestGlob);
    public override string DocName => "guest path or glob";
    public override JsonObject Schema() => new() { ["type"] = "string", ["pattern"] = "^/" };

    public override object? Bind(YamlNode node, BindContext context)
    {
        var scalar = ExpectScalar(node, context, "an absolute guest path or glob");
        if (scalar is null) return null;
        var problem = GuestPath.Problem(scalar.Value, allowGlob: true);
        if (problem is null) return new GuestGlob(scalar.Value);
        Invalid(node, context, $"'{scalar.Value}' is not a valid guest glob: {problem}", "for example /var/cache/apt/archives/*.deb");
        return null;
    }

    public override JsonNode Canonical(object value) => JsonValue.Create(((GuestGlob)value).Value);
}

public sealed class FilePermissionsOptionType : OptionType
{
    public override Type ClrType => typeof(FilePermissions);
    public override string DocName => "octal mode";
    public override JsonObject Schema() => new() { ["type"] = "string", ["pattern"] = "^(0o)?[0-7]{3,5}$" };

    public override object? Bind(YamlNode node, BindContext context)
    {
        var scalar = ExpectScalar(node, context, "an octal mode string");
        if (scalar is null) return null;
        if (FilePermissions.TryParse(scalar.Value, out var mode)) return mode;
        Invalid(node, context, $"'{scalar.Value}' is not an octal file mode",
            "write the permission bits in octal, quoted, for example \"0644\" or \"0755\"");
        return null;
    }

    public override JsonNode Canonical(object value) => JsonValue.Create(((FilePermissions)value).ToString());
}
