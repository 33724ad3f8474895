using System.Text.Json;
using System.Text.Json.Serialization;
using Builder.Execution;

namespace Builder.Cli;

/// <summary>
/// `--json`: every event as one JSON object per line on stdout, with "event" naming its type and
/// "at" the seconds since the build began. A generated password goes to stderr, never into JSON.
/// </summary>
/// With <paramref name="recipe"/> (builds of many recipes), each object also names its recipe.
internal sealed partial class JsonRenderer(TextWriter output, TextWriter error, TimeProvider time, string? recipe = null) : IProgress<BuildEvent>
{
    private readonly long started = time.GetTimestamp();
    private static readonly Lock Gate = new();

    public void Report(BuildEvent buildEvent)
    {
        var json = JsonSerializer.SerializeToNode(buildEvent, EventJson.Default.BuildEvent)!.AsObject();
        json["at"] = Math.Round(time.GetElapsedTime(started).TotalSeconds, 3);
        if (recipe is not null) json["recipe"] = recipe;
        Write(json.ToJsonString(), buildEvent);
    }

    /// <summary>One more object on its own line (a recipe's result at the end of a build of many).</summary>
    public void WriteObject(System.Text.Json.Nodes.JsonObject json) => Write(json.ToJsonString(), null);

    private void Write(string line, BuildEvent? buildEvent)
    {
        lock (Gate)
        {
            output.WriteLine(line);
            output.Flush();
            if (buildEvent is PasswordGenerated password) error.WriteLine(EventText.Password(password));
        }
    }

    /// <summary>The events as JSON, generated at compile time: no reflection while a build reports.</summary>
    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.KebabCaseLower, Converters = [typeof(SecondsConverter)])]
    [JsonSerializable(typeof(BuildEvent))]
    private sealed partial class EventJson : JsonSerializerContext;

    /// <summary>Durations as seconds, which every JSON consumer reads.</summary>
    private sealed class SecondsConverter : JsonConverter<TimeSpan>
    {
        public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            TimeSpan.FromSeconds(reader.GetDouble());

        public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(Math.Round(value.TotalSeconds, 3));
    }
}
