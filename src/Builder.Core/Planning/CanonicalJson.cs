using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Builder.Planning;

/// <summary>JSON with object keys in ordinal order and no whitespace: the same value always gives the same bytes.</summary>
public static class CanonicalJson
{
    public static byte[] Serialize(JsonNode? node)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
            Write(writer, node);
        return stream.ToArray();
    }

    public static string ToText(JsonNode? node) => Encoding.UTF8.GetString(Serialize(node));

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array) Write(writer, item);
                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
