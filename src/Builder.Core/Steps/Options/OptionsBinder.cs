using Builder.Diagnostics;
using Builder.Recipes.Yaml;

namespace Builder.Steps.Options;

/// <summary>Binds a step's YAML options to its options record, reporting every problem.</summary>
public static class OptionsBinder
{
    /// <param name="key">The key the options are under: a step's kind ("write") or a nested option ("disk").</param>
    /// <param name="node">The value under that key: a mapping, or the short form.</param>
    /// <param name="stepNode">The whole step entry, where missing options are reported.</param>
    public static object? Bind(string key, OptionsShape shape, YamlNode node, YamlNode stepNode, BindContext context)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        var given = new List<ScalarNode>();
        var ok = node switch
        {
            MappingNode mapping => BindMapping(shape, mapping, context, values, given),
            ScalarNode { IsNull: true } => true,
            _ when shape.Shorthand is { } shorthand => BindShorthand(shorthand, node, context, values, given),
            _ => WrongShape(key, shape, node, context),
        };
        if (!ok) return null;

        foreach (var missing in shape.Fields.Where(f => f.Required && !values.ContainsKey(f.Name)))
        {
            // An option that was given but failed to bind has its own diagnostic already.
            if (given.Any(k => k.Value == missing.Name)) continue;
            context.Diagnostics.Error(DiagnosticCodes.MissingKey, $"'{key}' needs the option '{missing.Name}'",
                stepNode.Span, node.Path, $"{missing.Name}: {missing.Description}");
        }

        if (!CheckExactlyOneOf(key, shape, node, given, context)) return null;
        if (shape.Fields.Any(f => f.Required && !values.ContainsKey(f.Name))) return null;
        return given.Count == values.Count ? shape.Create(values) : null;
    }

    private static bool BindMapping(OptionsShape shape, MappingNode mapping, BindContext context,
        Dictionary<string, object> values, List<ScalarNode> given)
    {
        foreach (var (key, value) in mapping.Entries.Select(e => (e.Key, e.Value)))
        {
            var field = shape.Field(key.Value);
            if (field is null)
            {
                context.Diagnostics.Error(DiagnosticCodes.UnknownKey, $"unknown option '{key.Value}'", key.Span, key.Path,
                    Suggestions.Hint(key.Value, shape.Fields.Select(f => f.Name), "options"));
                continue;
            }
            given.Add(key);
            if (field.Type.Bind(value, context) is { } bound) values[field.Name] = bound;
        }
        return true;
    }

    private static bool BindShorthand(OptionField shorthand, YamlNode node, BindContext context,
        Dictionary<string, object> values, List<ScalarNode> given)
    {
        given.Add(new ScalarNode(shorthand.Name, true, node.Span, node.Path));
        if (shorthand.Type.Bind(node, context) is { } bound) values[shorthand.Name] = bound;
        return true;
    }

    private static bool WrongShape(string kind, OptionsShape shape, YamlNode node, BindContext context)
    {
        var names = string.Join(", ", shape.Fields.Select(f => f.Name));
        context.Diagnostics.Error(DiagnosticCodes.WrongType, $"'{kind}' takes a mapping of options, found {node.KindName}",
            node.Span, node.Path, $"write {kind}: {{ {names} }}");
        return false;
    }

    private static bool CheckExactlyOneOf(string kind, OptionsShape shape, YamlNode node, List<ScalarNode> given, BindContext context)
    {
        if (shape.ExactlyOneOf.Count == 0) return true;
        var chosen = given.Where(k => shape.ExactlyOneOf.Contains(k.Value)).ToList();
        if (chosen.Count == 1) return true;
        var choices = string.Join(", ", shape.ExactlyOneOf);
        if (chosen.Count == 0)
            context.Diagnostics.Error(DiagnosticCodes.MissingKey, $"'{kind}' needs one of: {choices}",
                node.Span, node.Path, $"give exactly one of {choices}");
        else
            context.Diagnostics.Error(DiagnosticCodes.ConflictingOptions,
                $"'{kind}' takes only one of {choices}, but '{chosen[0].Value}' and '{chosen[1].Value}' are both given",
                chosen[1].Span, chosen[1].Path, $"keep one of '{chosen[0].Value}' and '{chosen[1].Value}'");
        return false;
    }
}
