using Builder.Recipes;

namespace Builder.Reproducibility;

/// <summary>
/// Finds a recipe's source date, outside the pure planner (it reads the environment and runs git),
/// in this order: the recipe's source-date-epoch, else the SOURCE_DATE_EPOCH environment variable,
/// else the time of the last git commit that touched the recipe file, else none.
/// </summary>
/// <param name="environment">Reads an environment variable (tests pass their own).</param>
public sealed class SourceDateResolver(Func<string, string?> environment)
{
    public const string EnvironmentVariable = "SOURCE_DATE_EPOCH";

    public SourceDateResolver() : this(Environment.GetEnvironmentVariable)
    {
    }

    /// <summary>The recipe's source date, or null when it has none.</summary>
    /// <exception cref="InvalidSourceDateException">SOURCE_DATE_EPOCH is set to something other than whole seconds.</exception>
    public async Task<SourceDate?> ResolveAsync(Recipe recipe, CancellationToken cancellationToken)
    {
        if (recipe.SourceDateEpoch is { } own) return new SourceDate(own, SourceDateOrigin.Recipe);
        if (environment(EnvironmentVariable) is { Length: > 0 } text)
            return SourceDate.ParseEpoch(text) is { } seconds
                ? new SourceDate(seconds, SourceDateOrigin.Environment)
                : throw new InvalidSourceDateException(text);
        var file = Path.Combine(recipe.Directory, Path.GetFileName(recipe.File));
        return await GitCommitTime.OfAsync(file, cancellationToken) is { } committed ? new SourceDate(committed, SourceDateOrigin.Git) : null;
    }
}

/// <summary>SOURCE_DATE_EPOCH holds something other than whole seconds since 1970: the build stops, as reproducible-builds.org asks.</summary>
public sealed class InvalidSourceDateException(string value)
    : Exception($"SOURCE_DATE_EPOCH is '{value}', which is not a source date")
{
    public const string Hint = "set it to whole seconds since 1970-01-01 UTC, such as the output of `git log -1 --format=%ct`, or unset it";
}
