using Builder.Diagnostics;

namespace Builder.Steps.Options;

/// <summary>
/// What binding options needs: where to report problems, the recipe's folder for relative host
/// paths, and whether host inputs may lie outside that folder.
/// </summary>
public sealed record BindContext(DiagnosticBag Diagnostics, string RecipeDirectory, bool AllowOutsideInputs = false)
{
    private string? realRecipeDirectory;

    /// <summary>The recipe's folder with its symlinks followed: host inputs must resolve under it.</summary>
    public string RealRecipeDirectory => realRecipeDirectory ??= HostPathResolver.RealPath(Path.GetFullPath(RecipeDirectory));
}
