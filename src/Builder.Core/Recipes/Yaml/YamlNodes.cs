using Builder.Diagnostics;

namespace Builder.Recipes.Yaml;

/// <summary>
/// A YAML node with where it is in its file and its path from the document root
/// (".steps[2].write.mode"). Aliases point at the anchored node itself; nothing is expanded.
/// </summary>
public abstract record YamlNode(SourceSpan Span, string Path)
{
    /// <summary>"a string", "a list", "a mapping": for "expected X, found Y" messages.</summary>
    public abstract string KindName { get; }
}

public sealed record ScalarNode(string Value, bool IsPlain, SourceSpan Span, string Path) : YamlNode(Span, Path)
{
    /// <summary>YAML's null: an empty plain scalar, "~" or "null".</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string KindName => IsNull ? "nothing (null)" : "a scalar";
}

public sealed record SequenceNode(IReadOnlyList<YamlNode> Items, SourceSpan Span, string Path) : YamlNode(Span, Path)
{
    public override string KindName => "a list";
}

public sealed record MappingEntry(ScalarNode Key, YamlNode Value);

public sealed record MappingNode(IReadOnlyList<MappingEntry> Entries, SourceSpan Span, string Path) : YamlNode(Span, Path)
{
    public override string KindName => "a mapping";

    public YamlNode? this[string key] => Entries.FirstOrDefault(e => e.Key.Value == key)?.Value;
}
