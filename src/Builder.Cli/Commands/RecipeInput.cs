using Builder.Diagnostics;
using Builder.Recipes;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.Cli.Commands;

/// <summary>Loads recipes for commands and prints their diagnostics compiler-style.</summary>
internal static class RecipeInput
{
    /// <summary>The recipe, or null after printing why not. Warnings are printed either way.</summary>
    public static Recipe? Load(IServiceProvider services, string path, TextWriter error, RecipeLoadOptions? options = null)
    {
        var result = services.GetRequiredService<RecipeLoader>().Load(path, options);
        if (result.Diagnostics.Count > 0) Print(result.Diagnostics, result.SourceText, error);
        return result.Succeeded ? result.Recipe : null;
    }

    public static void Print(IReadOnlyList<Diagnostic> diagnostics, string? sourceText, TextWriter error) =>
        error.Write(DiagnosticRenderer.Render(diagnostics, file => sourceText ?? TryRead(file)));

    /// <summary>Recipe files named by the arguments: files as given, folders searched for *.yaml and *.yml.</summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths) =>
        paths.SelectMany<string, string>(path => Directory.Exists(path)
                ? Directory.EnumerateFiles(path, "*.y*ml", SearchOption.AllDirectories)
                    .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
                    .Order(StringComparer.Ordinal)
                : [path])
            .ToList();

    private static string? TryRead(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
