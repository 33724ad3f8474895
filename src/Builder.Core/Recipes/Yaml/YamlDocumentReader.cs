using Builder.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Builder.Recipes.Yaml;

/// <summary>
/// Reads one YAML document into <see cref="YamlNode"/>s with spans and paths, turning every
/// problem into a diagnostic: syntax errors, duplicate keys, non-scalar keys, several
/// documents, and inputs too deep or too large to be a recipe, counted with their aliases
/// expanded, so an alias bomb is refused before anything walks it.
/// </summary>
public sealed class YamlDocumentReader
{
    public const int MaxDepth = 64;
    public const int MaxNodes = 100_000;

    private const string LimitsHint = "a recipe nests at most 64 levels and holds at most 100000 values, counting each alias as the values it stands for";

    private readonly string file;
    private readonly DiagnosticBag diagnostics;
    private readonly Dictionary<string, Anchored> anchors = new(StringComparer.Ordinal);
    private Scanner scanner = null!;
    private IParser parser = null!;
    private int nodes;
    private int deepest;

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
        scanner = new Scanner(new StringReader(text));
        parser = new Parser(scanner);
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
            diagnostics.Error(DiagnosticCodes.TooComplex, e.Message, e.Span, e.Path, LimitsHint);
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException
                                      or IndexOutOfRangeException or NullReferenceException)
        {
            // The YAML library fails on some malformed input with other exceptions; report them where its scanner stopped.
            var at = scanner.CurrentPosition;
            diagnostics.Error(DiagnosticCodes.YamlSyntax, "the file is not valid YAML: the YAML reader cannot go on from here",
                Span(at, at), ".", "check indentation, quoting, brackets and the ':' after each key near this place");
            return null;
        }
    }

    private YamlNode ReadNode(string path, int depth)
    {
        if (depth > MaxDepth) throw TooComplex($"the document nests more than {MaxDepth} levels deep", path);
        if (++nodes > MaxNodes) throw TooComplex($"the document holds more than {MaxNodes} values", path);
        deepest = Math.Max(deepest, depth);

        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (!anchors.TryGetValue(alias.Value.Value, out var target))
                throw new YamlException(alias.Start, alias.End, $"the alias *{alias.Value.Value} names no anchor defined before it");
            // An alias stands for its anchor's whole subtree: count it as such, without copying anything.
            nodes += target.Size - 1;
            deepest = Math.Max(deepest, depth + target.Height);
            if (nodes > MaxNodes) throw TooComplex($"the aliases expand to more than {MaxNodes} values", path, alias);
            if (deepest > MaxDepth) throw TooComplex($"the aliases nest more than {MaxDepth} levels deep", path, alias);
            return target.Node;
        }

        var (nodesBefore, deepestBefore) = (nodes, deepest);
        deepest = depth;
        var (node, anchor) = ReadValue(path, depth);
        if (anchor is not null) anchors[anchor] = new Anchored(node, nodes - nodesBefore + 1, deepest - depth);
        deepest = Math.Max(deepest, deepestBefore);
        return node;
    }

    private (YamlNode Node, string? Anchor) ReadValue(string path, int depth)
    {
        if (parser.TryConsume<Scalar>(out var scalar))
            return (new ScalarNode(scalar.Value, scalar.Style == ScalarStyle.Plain, Span(scalar.Start, scalar.End), path), AnchorOf(scalar.Anchor));
        if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            var items = new List<YamlNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
                items.Add(ReadNode($"{(path == "." ? "." : path)}[{items.Count}]", depth + 1));
            return (new SequenceNode(items, Span(sequenceStart.Start, sequenceStart.End), path), AnchorOf(sequenceStart.Anchor));
        }
        if (parser.TryConsume<MappingStart>(out var mappingStart))
            return (ReadMapping(mappingStart, path, depth), AnchorOf(mappingStart.Anchor));
        var unexpected = parser.Current!;
        throw new YamlException(unexpected.Start, unexpected.End, $"unexpected {unexpected.GetType().Name}");
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

    private static string? AnchorOf(AnchorName anchor) => anchor.IsEmpty ? null : anchor.Value;

    private TooComplexException TooComplex(string message, string path, ParsingEvent? at = null)
    {
        at ??= parser.Current;
        var span = at is null ? Span(scanner.CurrentPosition, scanner.CurrentPosition) : Span(at.Start, at.End);
        return new TooComplexException(message, span, path);
    }

    private SourceSpan Span(Mark start, Mark end)
    {
        var length = end.Line == start.Line ? Math.Max(1, (int)(end.Column - start.Column)) : 1;
        return new SourceSpan(file, (int)Math.Max(1, start.Line), (int)Math.Max(1, start.Column), length);
    }

    private static string Describe(YamlException e)
    {
        // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (…): "; the span says that already.
        var message = e.InnerException?.Message ?? e.Message;
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        return (cut >= 0 ? message[(cut + 3)..] : message).TrimEnd('.');
    }

    /// <summary>An anchored node with what it stands for when aliased: its values counted with their own aliases expanded, and its height.</summary>
    private sealed record Anchored(YamlNode Node, int Size, int Height);

    private sealed class TooComplexException(string message, SourceSpan span, string path) : Exception(message)
    {
        public SourceSpan Span { get; } = span;
        public string Path { get; } = path;
    }
}
