using Builder.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Builder.Recipes.Yaml;

/// <summary>
/// Reads one YAML document into <see cref="YamlNode"/>s with spans and paths, turning every
/// problem into a diagnostic: syntax errors, duplicate keys, non-scalar keys, several
/// documents, and inputs too deep or too large to be a recipe.
/// </summary>
public sealed class YamlDocumentReader
{
    public const int MaxDepth = 64;
    public const int MaxNodes = 100_000;

    private readonly string file;
    private readonly DiagnosticBag diagnostics;
    private readonly Dictionary<string, YamlNode> anchors = new(StringComparer.Ordinal);
    private IParser parser = null!;
    private int nodes;

    private YamlDocumentReader(string file, DiagnosticBag diagnostics)
    {
        this.file = file;
        this.diagnostics = diagnostics;
    }

    /// <summary>The document's root node, or null when the text is not a readable single YAML document.</summary>
    public static YamlNode? Read(string text, string file, DiagnosticBag diagnostics) =>
        new YamlDocumentReader(file, diagnostics).ReadDocument(text);

    private YamlNode? ReadDocument(string text)
    {
        parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
                return new ScalarNode("", true, SourceSpan.StartOf(file), ".");
            parser.Consume<DocumentStart>();
            var root = ReadNode(".", 0);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                var next = parser.Current!;
                diagnostics.Error(DiagnosticCodes.NotOneDocument, "the file holds more than one YAML document",
                    Span(next.Start, next.End), ".", "a recipe is one document; remove the '---' separator and what follows it");
                return null;
            }
            return root;
        }
        catch (YamlException e)
        {
            diagnostics.Error(DiagnosticCodes.YamlSyntax, $"the file is not valid YAML: {Describe(e)}",
                Span(e.Start, e.End), ".", "check indentation, quoting and the ':' after each key");
            return null;
        }
        catch (TooComplexException e)
        {
            diagnostics.Error(DiagnosticCodes.TooComplex, e.Message, e.Span, e.Path,
                $"a recipe nests at most {MaxDepth} levels and holds at most {MaxNodes} nodes");
            return null;
        }
    }

    private YamlNode ReadNode(string path, int depth)
    {
        if (depth > MaxDepth || ++nodes > MaxNodes)
        {
            var at = parser.Current!;
            throw new TooComplexException("the document is too deeply nested or too large", Span(at.Start, at.End), path);
        }

        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (anchors.TryGetValue(alias.Value.Value, out var target)) return target;
            throw new YamlException(alias.Start, alias.End, $"the alias *{alias.Value.Value} names no anchor defined before it");
        }

        YamlNode node;
        string? anchor;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            anchor = scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value;
            node = new ScalarNode(scalar.Value, scalar.Style == ScalarStyle.Plain, Span(scalar.Start, scalar.End), path);
        }
        else if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            anchor = sequenceStart.Anchor.IsEmpty ? null : sequenceStart.Anchor.Value;
            var items = new List<YamlNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
                items.Add(ReadNode($"{path.TrimEnd('.')}[{items.Count}]", depth + 1));
            node = new SequenceNode(items, Span(sequenceStart.Start, sequenceStart.End), path);
        }
        else if (parser.TryConsume<MappingStart>(out var mappingStart))
        {
            anchor = mappingStart.Anchor.IsEmpty ? null : mappingStart.Anchor.Value;
            node = ReadMapping(mappingStart, path, depth);
        }
        else
        {
            var unexpected = parser.Current!;
            throw new YamlException(unexpected.Start, unexpected.End, $"unexpected {unexpected.GetType().Name}");
        }

        if (anchor is not null) anchors[anchor] = node;
        return node;
    }

    private MappingNode ReadMapping(MappingStart start, string path, int depth)
    {
        var entries = new List<MappingEntry>();
        var seen = new Dictionary<string, ScalarNode>(StringComparer.Ordinal);
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var keyNode = ReadNode(path, depth + 1);
            if (keyNode is not ScalarNode key)
            {
                diagnostics.Error(DiagnosticCodes.WrongType, $"a key must be a plain name, found {keyNode.KindName}",
                    keyNode.Span, path, "write keys as plain words, for example 'path:'");
                ReadNode(path, depth + 1);
                continue;
            }
            var childPath = path == "." ? "." + key.Value : $"{path}.{key.Value}";
            var value = ReadNode(childPath, depth + 1);
            if (seen.TryGetValue(key.Value, out var first))
            {
                diagnostics.Error(DiagnosticCodes.DuplicateKey, $"the key '{key.Value}' appears twice in this mapping",
                    key.Span, childPath, $"it was first given at line {first.Span.Line}; keep one");
                continue;
            }
            seen[key.Value] = key;
            entries.Add(new MappingEntry(key with { Path = childPath }, value));
        }
        return new MappingNode(entries, Span(start.Start, start.End), path);
    }

    private SourceSpan Span(Mark start, Mark end)
    {
        var length = end.Line == start.Line ? Math.Max(1, (int)(end.Column - start.Column)) : 1;
        return new SourceSpan(file, (int)start.Line, (int)start.Column, length);
    }

    private static string Describe(YamlException e)
    {
        // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (…): "; the span says that already.
        var message = e.InnerException?.Message ?? e.Message;
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        return (cut >= 0 ? message[(cut + 3)..] : message).TrimEnd('.');
    }

    private sealed class TooComplexException(string message, SourceSpan span, string path) : Exception(message)
    {
        public SourceSpan Span { get; } = span;
        public string Path { get; } = path;
    }
}
