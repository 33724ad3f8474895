using System.Text.Json.Nodes;

namespace Builder.Steps.Options;

/// <summary>The JSON Schema of an options record: its documented keys, nothing else.</summary>
public static class OptionsSchemas
{
    public static JsonObject For(OptionsShape shape)
    {
        var properties = new JsonObject();
        foreach (var field in shape.Fields)
        {
            var schema = field.Type.Schema();
            schema["description"] = field.Description;
            properties[field.Name] = schema;
        }
        var result = new JsonObject
        {
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["properties"] = properties,
        };
        var required = shape.Fields.Where(f => f.Required).Select(f => (JsonNode)f.Name).ToArray();
        if (required.Length > 0) result["required"] = new JsonArray(required);
        if (shape.ExactlyOneOf.Count > 0)
            result["oneOf"] = new JsonArray(shape.ExactlyOneOf.Select(n => (JsonNode)new JsonObject { ["required"] = new JsonArray(n) }).ToArray());
        if (required.Length == 0 && shape.ExactlyOneOf.Count == 0)
            return new JsonObject { ["oneOf"] = new JsonArray(result, new JsonObject { ["type"] = "null" }) };
        return result;
    }
}
