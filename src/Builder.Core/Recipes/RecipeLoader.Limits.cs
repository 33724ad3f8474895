using Builder.Diagnostics;

namespace Builder.Recipes;

// Inputs too large to be a recipe are refused before they are read or parsed.
public sealed partial class RecipeLoader
{
    /// <summary>The largest recipe file read: 16 MiB (in characters, for text given to <see cref="Parse"/>).</summary>
    public const long MaxRecipeSize = 16L << 20;

    /// <summary>A result refusing the file, when it is larger than <see cref="MaxRecipeSize"/>; null otherwise.</summary>
    private static RecipeLoadResult? RefuseTooLarge(string file, long size)
    {
        if (size <= MaxRecipeSize) return null;
        var diagnostics = new DiagnosticBag();
        diagnostics.Error(DiagnosticCodes.TooComplex, $"the recipe is {ByteSize.Format(size)}, more than a recipe may be ({ByteSize.Format(MaxRecipeSize)})",
            SourceSpan.StartOf(file), ".", "a recipe is a short list of steps; put large contents in files beside it and upload them");
        return new RecipeLoadResult(null, diagnostics.Sorted(), null);
    }

    /// <summary>The size of the file at <paramref name="path"/>, or 0 when it cannot be seen (reading it reports why).</summary>
    private static long SizeOf(string path)
    {
        try
        {
            return File.Exists(path) ? new FileInfo(path).Length : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
