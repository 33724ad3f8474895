using Builder.Diagnostics;

namespace Builder.Steps.Options;

/// <summary>What binding options needs: where to report problems, and the recipe's folder for relative host paths.</summary>
public sealed record BindContext(DiagnosticBag Diagnostics, string RecipeDirectory);
