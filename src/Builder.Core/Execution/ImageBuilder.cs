using Builder.Diagnostics;
using Builder.Guests;
using Builder.Images;
using Builder.Planning;
using Builder.Recipes;
using Builder.Secrets;
using Builder.Templates;
using Builder.Templates.Repositories;

namespace Builder.Execution;

/// <summary>
/// Runs a plan: a qcow2 overlay on the template, every step in one guest session, then
/// qemu-img convert to a temporary name beside the output and a rename. The template is only
/// ever a read-only backing file.
/// </summary>
public sealed class ImageBuilder(
    TemplateResolver templates,
    Planner planner,
    IDiskImages images,
    IGuestBackend backend,
    ISecretReader secrets,
    IPasswordHasher passwordHasher,
    TimeProvider time) : IImageBuilder
{
    private readonly BuildServices services = new(images, backend, secrets, passwordHasher, time);

    public async Task<BuildResult> BuildAsync(Recipe recipe, BuildOptions options, IProgress<BuildEvent>? progress, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var outputPath = Path.GetFullPath(options.OutputPath ?? recipe.Output.Path);
        var events = IBuildEvents.From(progress);
        BuildLog? log = null;
        var format = options.OutputPath is null || recipe.Output.FormatGiven ? recipe.Output.Format : ImageFormats.FromExtension(outputPath);
        BuildPlan? plan = null;
        try
        {
            var (resolved, invalid) = await ResolveTemplateAsync(recipe, options, events, cancellationToken);
            if (resolved is null) return new BuildResult(BuildOutcome.Invalid, null, null, invalid, null, time.GetElapsedTime(started));
            plan = planner.Plan(recipe, resolved);
            var (problems, template) = await BuildPreflight.CheckAsync(plan, outputPath, secrets, images, cancellationToken);
            if (problems.Any(d => d.IsError) || template is null)
                return new BuildResult(BuildOutcome.Invalid, plan, null, problems, null, time.GetElapsedTime(started));

            // From here on the build runs: its log goes beside the output, whatever happens.
            log = BuildLog.Open(outputPath, events, options.Trace, time);
            events = log;
            events.Emit(new BuildStarted(recipe.Name, plan.Steps.Count, outputPath, format.Name()));
            var run = new PlanRun(plan, template, resolved.Layout(), outputPath, format, options, events, services);
            var written = await run.RunAsync(cancellationToken);
            var elapsed = time.GetElapsedTime(started);
            events.Emit(new BuildSucceeded(outputPath, format.Name(), written.VirtualSize, written.ActualSize, elapsed));
            return new BuildResult(BuildOutcome.Succeeded, plan, outputPath, problems, null, elapsed);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Whatever the interrupted operation threw, the cause is the cancellation.
            var elapsed = time.GetElapsedTime(started);
            events.Emit(new BuildFailed("cancelled", elapsed));
            return new BuildResult(BuildOutcome.Cancelled, plan, null, [], new BuildError("the build was cancelled", null, null, null), elapsed);
        }
        catch (Exception e)
        {
            var error = BuildErrors.From(e);
            var elapsed = time.GetElapsedTime(started);
            events.Emit(new BuildFailed(error.Message, elapsed, error.Hint));
            return new BuildResult(BuildOutcome.Failed, plan, null, [], error, elapsed);
        }
        finally
        {
            log?.Dispose();
        }
    }

    /// <summary>The template's image (building or pulling it if need be), or the diagnostics that say why the recipe's template is unusable.</summary>
    private async Task<(ResolvedTemplate? Template, IReadOnlyList<Diagnostic> Problems)> ResolveTemplateAsync(
        Recipe recipe, BuildOptions options, IBuildEvents events, CancellationToken cancellationToken)
    {
        try
        {
            var resolved = await templates.ResolveAsync(recipe.Template, recipe.Directory, allowBuild: true,
                options.Repositories ?? RepositoryOptions.Default, options.Session, events, cancellationToken);
            return (resolved, []);
        }
        catch (TemplateResolutionException e)
        {
            return (null, [new Diagnostic(DiagnosticCodes.MissingTemplate, Severity.Error, e.Message, recipe.Template.Span, ".template", e.Hint)]);
        }
        catch (TemplateDefinitionException e)
        {
            return (null, e.Diagnostics);
        }
    }
}
