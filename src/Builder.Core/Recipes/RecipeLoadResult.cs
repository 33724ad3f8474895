using Builder.Diagnostics;

namespace Builder.Recipes;

/// <summary>A recipe, or why not: every diagnostic found, in source order. Warnings may come with a recipe.</summary>
public sealed record RecipeLoadResult(Recipe? Recipe, IReadOnlyList<Diagnostic> Diagnostics, string? SourceText)
{
    public bool Succeeded => Recipe is not null && Diagnostics.All(d => !d.IsError);
}
