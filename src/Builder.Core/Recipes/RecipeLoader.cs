using System.Text.RegularExpressions;
using Builder.Diagnostics;
using Builder.Recipes.Yaml;
using Builder.Steps;
using Builder.Steps.Options;
using Builder.Templates.Store;

namespace Builder.Recipes;

/// <summary>
/// Loads a recipe file into a <see cref="Recipe"/>, checking everything that can be checked
/// without a guest: keys, types, values, local files, and conflicts between steps. All problems
/// are reported at once.
/// </summary>
public sealed partial class RecipeLoader(StepRegistry registry)
{
    private static readonly string[] TopLevelKeys = ["name", "template", "size", "output", "backend", "source-date-epoch", "steps"];

    /// <param name="path">The recipe's path as the user gave it (shown in diagnostics).</param>
    /// <param name="options">Default: <see cref="RecipeLoadOptions.Default"/>.</param>
    public RecipeLoadResult Load(string path, RecipeLoadOptions? options = null)
    {
        if (RefuseTooLarge(path, SizeOf(path)) is { } tooLarge) return tooLarge;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var bag = new DiagnosticBag();
            bag.Error(DiagnosticCodes.UnreadableFile, $"cannot read the recipe: {e.Message}", SourceSpan.StartOf(path), ".",
                File.Exists(path) || Directory.Exists(path) ? "check its permissions" : "check the path");
            return new RecipeLoadResult(null, bag.Sorted(), null);
        }
        return Parse(text, path, Path.GetDirectoryName(Path.GetFullPath(path))!, options);
    }

    /// <param name="file">The name diagnostics show.</param>
    /// <param name="directory">The folder relative host paths resolve against, and host inputs must lie in.</param>
    /// <param name="options">Default: <see cref="RecipeLoadOptions.Default"/>.</param>
    public RecipeLoadResult Parse(string text, string file, string directory, RecipeLoadOptions? options = null)
    {
        if (RefuseTooLarge(file, text.Length) is { } tooLarge) return tooLarge;
        var diagnostics = new DiagnosticBag();
        var root = YamlDocumentReader.Read(text, file, diagnostics);
        var recipe = root is null ? null : Bind(root, file, directory, options ?? RecipeLoadOptions.Default, diagnostics);
        return new RecipeLoadResult(diagnostics.HasErrors ? null : recipe, diagnostics.Sorted(), text);
    }

    private Recipe? Bind(YamlNode root, string file, string directory, RecipeLoadOptions options, DiagnosticBag diagnostics)
    {
        if (root is not MappingNode mapping)
        {
            diagnostics.Error(DiagnosticCodes.WrongType, $"a recipe is a mapping of keys, found {root.KindName}", root.Span, ".",
                "start with 'template:' and 'steps:' at the left margin");
            return null;
        }
        foreach (var key in mapping.Entries.Select(e => e.Key).Where(k => !TopLevelKeys.Contains(k.Value)))
            diagnostics.Error(DiagnosticCodes.UnknownKey, $"unknown key '{key.Value}'", key.Span, key.Path,
                Suggestions.Hint(key.Value, TopLevelKeys, "keys"));

        var name = BindName(mapping["name"], file, diagnostics);
        var template = BindTemplate(mapping, directory, diagnostics);
        var size = BindSize(mapping["size"], diagnostics);
        var output = BindOutput(mapping["output"], name ?? "image", directory, diagnostics);
        var backend = BindBackend(mapping["backend"], diagnostics);
        var sourceDate = BindSourceDateEpoch(mapping["source-date-epoch"], diagnostics);
        var steps = new StepsReader(registry, new BindContext(diagnostics, directory, options.AllowOutsideInputs)).Read(mapping["steps"]);

        return name is null || template is null || output is null || steps is null
            ? null
            : new Recipe(name, file, directory, template, size, output, steps, backend, sourceDate);
    }

    private static string? BindName(YamlNode? node, string file, DiagnosticBag diagnostics)
    {
        if (node is null) return Path.GetFileNameWithoutExtension(file);
        if (Scalar(node, "a name", diagnostics) is not { } scalar) return null;
        if (NamePattern().IsMatch(scalar.Value)) return scalar.Value;
        diagnostics.Error(DiagnosticCodes.InvalidValue, $"'{scalar.Value}' is not a valid recipe name", node.Span, node.Path,
            "use letters, digits, '.', '_' and '-', starting with a letter or digit");
        return null;
    }

    private static TemplateReference? BindTemplate(MappingNode recipe, string directory, DiagnosticBag diagnostics)
    {
        var node = recipe["template"];
        if (node is null)
        {
            diagnostics.Error(DiagnosticCodes.MissingKey, "the recipe names no template", recipe.Span, ".",
                "add 'template: debian-12' (a template name), or a disk image path relative to the recipe");
            return null;
        }
        if (Scalar(node, "the path of a disk image", diagnostics) is not { } scalar) return null;
        if (scalar.Value.Contains('\0'))
        {
            diagnostics.Error(DiagnosticCodes.InvalidValue, "the template contains a NUL character", node.Span, node.Path,
                "write a template name such as debian-12, or a disk image path relative to the recipe's folder");
            return null;
        }
        var full = Path.GetFullPath(Path.Combine(directory, scalar.Value));
        if (File.Exists(full)) return new TemplateReference(scalar.Value, full, node.Span);
        // A name is looked up when building (definitions, the store, repositories); what looks like a file must exist.
        if (TemplateNames.IsValid(scalar.Value) && !LooksLikeFile(scalar.Value)) return new TemplateReference(scalar.Value, null, node.Span);
        diagnostics.Error(DiagnosticCodes.MissingTemplate, $"the template '{scalar.Value}' does not exist", node.Span, node.Path,
            "a template is a template name such as debian-12, or a disk image path relative to the recipe's folder");
        return null;
    }

    private static Execution.BackendChoice? BindBackend(YamlNode? node, DiagnosticBag diagnostics)
    {
        if (node is null || Scalar(node, "a backend name", diagnostics) is not { } scalar) return null;
        if (Execution.BackendSelector.Parse(scalar.Value) is { } choice) return choice;
        diagnostics.Error(DiagnosticCodes.InvalidValue, $"'{scalar.Value}' is not a backend", node.Span, node.Path,
            Suggestions.Hint(scalar.Value, ["auto", "host", "appliance"], "backends"));
        return null;
    }

    private static bool LooksLikeFile(string value) =>
        Path.GetExtension(value).ToLowerInvariant() is ".qcow2" or ".raw" or ".img" or ".vmdk" or ".vhdx" or ".vdi" or ".vpc" or ".xz";

    private static DiskSize? BindSize(YamlNode? node, DiagnosticBag diagnostics)
    {
        if (node is null || Scalar(node, "a size such as 8G", diagnostics) is not { } scalar) return null;
        var bytes = ByteSize.Parse(scalar.Value);
        if (bytes is >= 1 << 20) return new DiskSize(bytes.Value, node.Span);
        diagnostics.Error(DiagnosticCodes.InvalidValue, $"'{scalar.Value}' is not a disk size", node.Span, node.Path,
            "write a size such as 8G, 512M or 20GiB (at least 1M)");
        return null;
    }

    private static string? Choice(YamlNode? node, string[] choices, string what, DiagnosticBag diagnostics)
    {
        if (node is null || Scalar(node, "one of " + string.Join(", ", choices), diagnostics) is not { } scalar) return null;
        if (choices.Contains(scalar.Value)) return scalar.Value;
        diagnostics.Error(DiagnosticCodes.InvalidValue, $"'{scalar.Value}' is not one of {string.Join(", ", choices)}", node.Span, node.Path,
            Suggestions.Hint(scalar.Value, choices, what));
        return null;
    }

    private static ScalarNode? Scalar(YamlNode node, string expected, DiagnosticBag diagnostics)
    {
        if (node is ScalarNode { IsNull: false } scalar) return scalar;
        diagnostics.Error(DiagnosticCodes.WrongType, $"expected {expected}, found {node.KindName}", node.Span, node.Path);
        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex NamePattern();
}
