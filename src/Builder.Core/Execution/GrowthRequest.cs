using Builder.Guests;
using Builder.Recipes;
using Builder.Templates;

namespace Builder.Execution;

/// <summary>What a recipe's size asks of the first layer's session: the partition and the logical volume to grow, from the template's metadata.</summary>
internal static class GrowthRequest
{
    /// <summary>Null when the recipe has no size; else its size, with the template's expand= and lvexpand= (null: the last partition, no LVM).</summary>
    public static DiskGrowth? For(Recipe recipe, ResolvedTemplate template) =>
        recipe.Size is { } size ? new DiskGrowth(size.Bytes, template.Metadata?.Expand, template.Metadata?.LvExpand) : null;
}
