using Builder.Diagnostics;
using Builder.Images;
using Builder.Planning;
using Builder.Secrets;
using Builder.Steps.Options;

namespace Builder.Execution;

/// <summary>
/// Checks made just before a build, which need the environment or the template: secrets that
/// are not set, an output that would overwrite the template, a size that would shrink the disk.
/// The template's format and size come from the store when it recorded them, else from qemu-img.
/// </summary>
internal static class BuildPreflight
{
    public static async Task<(IReadOnlyList<Diagnostic> Diagnostics, DiskInfo? Template)> CheckAsync(
        BuildPlan plan, string outputPath, DiskInfo? knownTemplate, ISecretReader secrets, IDiskImages images, CancellationToken cancellationToken)
    {
        var diagnostics = new DiagnosticBag();
        var recipe = plan.Recipe;
        foreach (var step in plan.Steps)
        {
            foreach (var name in step.Secrets.Where(s => s.StartsWith("env:", StringComparison.Ordinal)).Select(s => s[4..]))
            {
                if (secrets.Read(new SecretVariable(name)) is null)
                    diagnostics.Error(DiagnosticCodes.SecretUnavailable, $"the environment variable {name} is not set",
                        step.Step.Span, step.Step.Path, $"export {name} before building; the recipe names it, the value comes from the environment");
            }
        }

        if (Path.GetFullPath(outputPath) == plan.Template.FullPath)
            diagnostics.Error(DiagnosticCodes.InvalidValue, "the output would overwrite the template", recipe.Template.Span, ".output.path",
                "choose another output path; templates are never written");
        if (Directory.Exists(outputPath))
            diagnostics.Error(DiagnosticCodes.InvalidValue, $"the output path {outputPath} is a folder", recipe.Template.Span, ".output.path",
                "give a file name, for example out/web.qcow2");

        DiskInfo? template = null;
        try
        {
            template = knownTemplate ?? await images.InfoAsync(plan.Template.FullPath, cancellationToken);
        }
        catch (DiskImageException e)
        {
            diagnostics.Error(DiagnosticCodes.MissingTemplate, $"the template is not a disk image qemu-img can read: {e.Message}",
                recipe.Template.Span, ".template", "name a qcow2 or raw disk image");
        }

        if (template is not null && recipe.Size is { } size && size.Bytes < template.VirtualSize)
            diagnostics.Error(DiagnosticCodes.InvalidValue,
                $"size {ByteSizeText(size.Bytes)} is smaller than the template's {ByteSizeText(template.VirtualSize)}; disks only grow",
                size.Span, ".size", $"remove size, or give at least {ByteSizeText(template.VirtualSize)}");

        return (diagnostics.Sorted(), template);
    }

    private static string ByteSizeText(long bytes) => Recipes.ByteSize.Format(bytes);
}
