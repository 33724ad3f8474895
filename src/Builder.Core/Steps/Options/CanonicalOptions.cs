using System.Text.Json.Nodes;

namespace Builder.Steps.Options;

/// <summary>
/// An options record as canonical JSON, with the host files it reads and the names of the secrets
/// it uses: what a content-addressed id is computed from. An option given as its default is left
/// out, so it hashes like an omitted one.
/// </summary>
public sealed record CanonicalOptions(JsonObject Options, IReadOnlyList<LocalFile> Inputs, IReadOnlyList<string> Secrets)
{
    public static CanonicalOptions Of(OptionsShape shape, object options)
    {
        var json = new JsonObject();
        var inputs = new List<LocalFile>();
        var secrets = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (field, value) in shape.Values(options))
        {
            if (value is null || Equals(value, field.DefaultValue)) continue;
            json[field.Name] = field.Type.Canonical(value);
            inputs.AddRange(field.Type.Inputs(value));
            secrets.UnionWith(field.Type.Secrets(value));
        }
        return new CanonicalOptions(json, inputs, secrets.ToList());
    }
}
