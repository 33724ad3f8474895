using System.Diagnostics;
using System.Text;
using Builder.Diagnostics;
using Builder.Planning;
using Builder.Recipes;
using Builder.Steps;
using Builder.Templates;

namespace Builder.Tests.Reliability;

/// <summary>What one recipe came to: a plan or diagnostics, what was printed, how long it took and what it allocated.</summary>
public sealed record PipelineOutcome(RecipeLoadResult Loaded, BuildPlan? Plan, string Printed, string DiagnosticFile, TimeSpan Elapsed, long AllocatedBytes);

/// <summary>
/// Runs a recipe text the way `builder validate` and `builder plan` do: load (from a file, or the
/// string), print the diagnostics compiler-style, and plan a valid recipe, against a stand-in
/// template so no store is needed (the planner only hashes it), printing the plan as JSON.
/// </summary>
public sealed class RecipePipeline(string folder)
{
    private readonly RecipeLoader loader = new(StepRegistry.BuiltIn);
    private readonly Planner planner = new(new FileDigests());
    private readonly string template = Path.Combine(folder, "base.qcow2");

    public PipelineOutcome Run(FuzzCase recipe)
    {
        var throughFile = recipe.Input != FuzzInput.String;
        var file = throughFile ? Path.Combine(folder, "recipe.yaml") : "recipe.yaml";
        if (throughFile) File.WriteAllBytes(file, Encode(recipe.Text, recipe.Input));
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();

        var loaded = throughFile ? loader.Load(file) : loader.Parse(recipe.Text, file, folder);
        var printed = DiagnosticRenderer.Render(loaded.Diagnostics, _ => loaded.SourceText);
        BuildPlan? plan = null;
        if (loaded.Succeeded)
        {
            plan = planner.Plan(loaded.Recipe!, new ResolvedTemplate(loaded.Recipe!.Template.Written, template, "sha256:" + new string('0', 64), null));
            printed += PlanJson.ToText(plan);
        }

        return new PipelineOutcome(loaded, plan, printed, file, clock.Elapsed, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
    }

    private static byte[] Encode(string text, FuzzInput input) => input switch
    {
        FuzzInput.Utf16File => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)],
        FuzzInput.Latin1File => Encoding.Latin1.GetBytes(text),
        _ => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetBytes(text),
    };
}
