using System.Globalization;
using System.Text.Json.Nodes;
using Builder.Diagnostics;
using Builder.Recipes.Yaml;

namespace Builder.Tests.Support;

/// <summary>YAML as JSON the way a schema-aware editor sees it: plain true/false/null/numbers are typed.</summary>
public static class YamlToJson
{
    public static JsonNode? Convert(string yaml)
    {
        var diagnostics = new DiagnosticBag();
        var root = YamlDocumentReader.Read(yaml, "test.yaml", diagnostics);
        Assert.False(diagnostics.HasErrors, string.Join("\n", diagnostics));
        return Convert(root!);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        ScalarNode { IsNull: true } => null,
        ScalarNode { IsPlain: true, Value: "true" } => JsonValue.Create(true),
        ScalarNode { IsPlain: true, Value: "false" } => JsonValue.Create(false),
        ScalarNode { IsPlain: true } s when long.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && !s.Value.StartsWith('0') => JsonValue.Create(n),
        ScalarNode s => JsonValue.Create(s.Value),
        SequenceNode seq => new JsonArray(seq.Items.Select(Convert).ToArray()),
        MappingNode map => new JsonObject(map.Entries.Select(e => KeyValuePair.Create(e.Key.Value, Convert(e.Value)))),
        _ => throw new InvalidOperationException(node.GetType().Name),
    };
}
