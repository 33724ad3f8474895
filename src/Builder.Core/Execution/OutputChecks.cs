using Builder.Diagnostics;
using Builder.Recipes;

namespace Builder.Execution;

/// <summary>
/// Checks of the output that depend on the build's options, not only on the recipe: -o may change
/// the format the recipe chose, and a stream takes only some formats. Made before anything is built.
/// </summary>
internal static class OutputChecks
{
    /// <summary>Usage errors of the library: thrown, since no recipe is wrong.</summary>
    public static void ThrowIfMisused(BuildOptions options, int recipes)
    {
        if (options.OutputPath is not null && options.OutputStream is not null)
            throw new ArgumentException("give an output path or an output stream, not both", nameof(options));
        if (recipes > 1 && options.OutputPath is not null)
            throw new ArgumentException("an output path can only be given for a single recipe", nameof(options));
        if (recipes > 1 && options.OutputStream is not null)
            throw new ArgumentException("an output stream can only be given for a single recipe", nameof(options));
    }

    /// <summary>Why the recipe's output cannot be written as <paramref name="format"/> with these options, or null.</summary>
    public static Diagnostic? Problem(Recipe recipe, ImageFormat format, BuildOptions options)
    {
        var output = recipe.Output;
        if (options.OutputStream is not null && !OutputFormatOptions.Of(format).Streamable)
            return Error($"a {format.Name()} image cannot be streamed; only raw and qcow2 can", ".output.format",
                "write format: qcow2 or format: raw in the recipe, or write the image to a file");
        if (options.OutputStream is not null && output.BackedByTemplate)
            return Error("a thin output (backing: template) names its template by path and cannot be streamed", ".output.backing",
                "remove backing to stream a standalone image");
        if (output.Compress && !OutputFormatOptions.Of(format).Compressible)
            return Error($"the recipe compresses its output, which applies only to qcow2, but the output path makes it {format.Name()}",
                ".output.compress", "give an output path ending in .qcow2, or remove compress");
        if (output.Reproducible && OutputFormatOptions.Of(format).Unreproducible is { } reason)
            return Error($"the recipe's output is reproducible, but the output path makes it {format.Name()}, and qemu-img writes {reason}",
                ".output.reproducible", "give an output path ending in .qcow2 or .raw, or remove reproducible");
        return null;

        Diagnostic Error(string message, string path, string hint) =>
            new(DiagnosticCodes.InvalidValue, Severity.Error, message, SourceSpan.StartOf(recipe.File), path, hint);
    }
}
