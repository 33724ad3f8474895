using Builder.Diagnostics;
using Builder.Recipes.Yaml;
using Builder.Reproducibility;

namespace Builder.Recipes;

// source-date-epoch: the recipe's own source date, which wins over SOURCE_DATE_EPOCH and git.
public sealed partial class RecipeLoader
{
    private static long? BindSourceDateEpoch(YamlNode? node, DiagnosticBag diagnostics)
    {
        if (node is null || Scalar(node, "seconds since 1970-01-01 UTC", diagnostics) is not { } scalar) return null;
        if (SourceDate.ParseEpoch(scalar.Value) is { } seconds) return seconds;
        diagnostics.Error(DiagnosticCodes.InvalidValue, $"'{scalar.Value}' is not a source date", node.Span, node.Path,
            $"write whole seconds since 1970-01-01 UTC, from 0 to {SourceDate.MaxEpoch}, such as the output of `git log -1 --format=%ct`");
        return null;
    }
}
