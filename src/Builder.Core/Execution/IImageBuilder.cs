using Builder.Recipes;

namespace Builder.Execution;

/// <summary>
/// Builds an image from a recipe: plan, overlay on the template, steps in one guest session,
/// then the output, published atomically. On any failure or cancellation nothing is left at the
/// output path and the template is untouched. Failures are values in the result, not exceptions.
/// </summary>
public interface IImageBuilder
{
    Task<BuildResult> BuildAsync(Recipe recipe, BuildOptions options, IProgress<BuildEvent>? progress, CancellationToken cancellationToken);
}
