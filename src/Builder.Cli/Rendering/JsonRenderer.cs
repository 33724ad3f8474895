using System.Text.Json;
using System.Text.Json.Serialization;
using Builder.Execution;

namespace Builder.Cli;

/// <summary>
/// `--json`: every event as one JSON object per line on stdout, with "event" naming its type and
/// "at" the seconds since the build began. A generated password goes to stderr, never into JSON.
/// </summary>
internal sealed class JsonRenderer(TextWriter output, TextWriter error, TimeProvider time) : IProgress<BuildEvent>
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.KebabCaseLower,
        Converters = { new SecondsConverter() },
    };

    private readonly long started = time.GetTimestamp();
    private readonly Lock gate = new();

    public void Report(BuildEvent buildEvent)
    {
        var json = JsonSerializer.SerializeToNode(buildEvent, Options)!.AsObject();
        json["at"] = Math.Round(time.GetElapsedTime(started).TotalSeconds, 3);
        lock (gate)
        {
            output.WriteLine(json.ToJsonString());
            output.Flush();
            if (buildEvent is PasswordGenerated password) error.WriteLine(EventText.Password(password));
        }
    }

    /// <summary>Durations as seconds, which every JSON consumer reads.</summary>
    private sealed class SecondsConverter : JsonConverter<TimeSpan>
    {
        public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            TimeSpan.FromSeconds(reader.GetDouble());

        public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(Math.Round(value.TotalSeconds, 3));
    }
}
