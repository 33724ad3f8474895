using System.Reflection;
using Builder.Diagnostics;

namespace Builder.Templates.Definitions;

/// <summary>
/// Finds template definitions: templates/NAME.yaml in the starting folder or the nearest folder
/// above it that has one (a repository's own definitions), then the definitions built into
/// Builder (the repository's templates/ folder, embedded at build time).
/// </summary>
public sealed class TemplateDefinitions
{
    private const string ResourcePrefix = "templates/";

    /// <summary>The definition named, or null with no diagnostics when there is none, or null with the diagnostics of an invalid one.</summary>
    public (LoadedDefinition? Definition, IReadOnlyList<Diagnostic> Diagnostics) Find(string name, string searchFrom) =>
        FindText(name, searchFrom) is { } found ? found.Parse() : (null, []);

    /// <summary>The named definition's file, unparsed, or null when there is none.</summary>
    public DefinitionText? FindText(string name, string searchFrom)
    {
        if (LocalFile(name, searchFrom) is { } file) return new DefinitionText(name, File.ReadAllText(file), Display(file));
        if (Embedded(name) is { } text) return new DefinitionText(name, text, $"embedded:{name}");
        return null;
    }

    /// <summary>Every definition name visible from a folder.</summary>
    public IReadOnlyList<string> Names(string searchFrom)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var folder in Folders(searchFrom).Where(Directory.Exists))
            names.UnionWith(Directory.EnumerateFiles(folder, "*.yaml").Select(Path.GetFileNameWithoutExtension)!);
        names.UnionWith(Assembly.GetExecutingAssembly().GetManifestResourceNames()
            .Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal) && r.EndsWith(".yaml", StringComparison.Ordinal))
            .Select(r => r[ResourcePrefix.Length..^".yaml".Length]));
        return names.ToList();
    }

    private static string? LocalFile(string name, string searchFrom) =>
        Folders(searchFrom).Select(f => Path.Combine(f, name + ".yaml")).FirstOrDefault(File.Exists);

    private static IEnumerable<string> Folders(string searchFrom)
    {
        for (var folder = new DirectoryInfo(Path.GetFullPath(searchFrom)); folder is not null; folder = folder.Parent)
            yield return Path.Combine(folder.FullName, "templates");
    }

    private static string? Embedded(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourcePrefix + name + ".yaml");
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string Display(string file)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, file);
        return relative.StartsWith("..", StringComparison.Ordinal) ? file : relative;
    }
}

/// <summary>A definition file's text, not parsed yet.</summary>
/// <param name="Source">"templates/debian-12.yaml" or "embedded:debian-12".</param>
public sealed record DefinitionText(string Name, string Text, string Source)
{
    private string? textKey;

    /// <summary><see cref="TemplateDefinitionLoader.TextKey"/> of the text, hashed once.</summary>
    public string TextKey => textKey ??= TemplateDefinitionLoader.TextKey(Text);

    public (LoadedDefinition? Definition, IReadOnlyList<Diagnostic> Diagnostics) Parse() => TemplateDefinitionLoader.Parse(Text, Source, Name);
}
