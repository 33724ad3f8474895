using Builder.Recipes;

namespace Builder.Execution;

/// <summary>
/// Builds images from recipes: plan, layers of steps (each an overlay, cached by content), then
/// the output, published atomically. On any failure or cancellation nothing is left at the
/// output path and the template is untouched. Failures are values in the result, not exceptions.
/// </summary>
public interface IImageBuilder
{
    Task<BuildResult> BuildAsync(Recipe recipe, BuildOptions options, IProgress<BuildEvent>? progress, CancellationToken cancellationToken);

    /// <summary>
    /// Builds many recipes as one graph: each layer they share is built once, independent layers
    /// run in parallel (<see cref="BuildOptions.Jobs"/> at a time). One result per recipe, in order;
    /// a failure stops the others only with <see cref="BuildOptions.FailFast"/>.
    /// </summary>
    /// <param name="progress">Where each recipe's events go.</param>
    Task<IReadOnlyList<BuildResult>> BuildAllAsync(IReadOnlyList<Recipe> recipes, BuildOptions options,
        Func<Recipe, IProgress<BuildEvent>?> progress, CancellationToken cancellationToken);
}
