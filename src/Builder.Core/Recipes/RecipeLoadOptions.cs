namespace Builder.Recipes;

/// <summary>How a recipe is loaded.</summary>
/// <param name="AllowOutsideInputs">
/// Let host input files (uploads, scripts, key files, secret files, folders) lie outside the
/// recipe's folder, after following symlinks. Off by default: a recipe from elsewhere cannot
/// read `../../etc/shadow` into an image. The CLI's `--allow-outside-inputs`.
/// </param>
public sealed record RecipeLoadOptions(bool AllowOutsideInputs = false)
{
    public static RecipeLoadOptions Default { get; } = new();
}
