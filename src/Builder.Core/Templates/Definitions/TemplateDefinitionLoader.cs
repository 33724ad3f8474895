using System.Security.Cryptography;
using Builder.Diagnostics;
using Builder.Planning;
using Builder.Recipes.Yaml;
using Builder.Steps.Options;

namespace Builder.Templates.Definitions;

/// <summary>A template definition, where it came from, and its digest (which names what a build of it produced).</summary>
/// <param name="Source">"templates/debian-12.yaml" or "embedded:debian-12".</param>
/// <param name="Digest">"sha256:…" of the definition's canonical form and the build scheme: a changed definition is a new template.</param>
/// <param name="TextKey">The key of the file's text, see <see cref="TemplateDefinitionLoader.TextKey"/>.</param>
public sealed record LoadedDefinition(TemplateDefinition Definition, string Source, string Digest, string TextKey);

/// <summary>Reads templates/NAME.yaml with the same located diagnostics as recipes.</summary>
public static class TemplateDefinitionLoader
{
    /// <summary>Bump when the way templates are built changes, so stored templates are rebuilt.</summary>
    public const string BuildScheme = "template-build/1";

    /// <summary>
    /// "sha256:…" of a definition file's text and the build scheme. A template stored with the same
    /// key was built from this very text, so a build can use it without parsing the file (the
    /// parse costs more than the rest of finding a template). Any edit, a comment included, only
    /// means the file is parsed and its <see cref="LoadedDefinition.Digest"/> compared as before.
    /// </summary>
    public static string TextKey(string text) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(BuildScheme + "\n" + text)));

    private static readonly RecordOptionType Shape = new(typeof(TemplateDefinition));

    public static (LoadedDefinition? Definition, IReadOnlyList<Diagnostic> Diagnostics) Parse(string text, string file, string expectedName)
    {
        var diagnostics = new DiagnosticBag();
        var root = YamlDocumentReader.Read(text, file, diagnostics);
        if (root is null) return (null, diagnostics.Sorted());
        var context = new BindContext(diagnostics, Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".");
        var definition = (TemplateDefinition?)OptionsBinder.Bind("template", Shape.Shape, root, root, context);
        if (definition is not null && definition.Name != expectedName)
            diagnostics.Error(DiagnosticCodes.InvalidValue, $"the template is named '{definition.Name}' in a file for '{expectedName}'",
                ((MappingNode)root)["name"]!.Span, ".name", $"name it '{expectedName}', or rename the file");
        if (definition is null || diagnostics.HasErrors) return (null, diagnostics.Sorted());

        var canonical = CanonicalOptions.Of(Shape.Shape, definition).Options;
        canonical["scheme"] = BuildScheme;
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(CanonicalJson.Serialize(canonical)));
        return (new LoadedDefinition(definition, file, digest, TextKey(text)), diagnostics.Sorted());
    }
}
