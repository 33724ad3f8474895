using Builder.Caching;
using Builder.Diagnostics;
using Builder.Guests;
using Builder.Images;
using Builder.Planning;
using Builder.Recipes;
using Builder.Reproducibility;
using Builder.Secrets;
using Builder.Storage;
using Builder.Templates;
using Builder.Templates.Repositories;

namespace Builder.Execution;

/// <summary>
/// Runs plans: each layer of steps is a qcow2 overlay on the one before (the first on the
/// template), taken from the layer cache when it is there; then qemu-img writes the image to a
/// temporary name beside the output and renames it. The template is only ever a read-only backing
/// file. Many recipes run as one graph: a layer they share is built once.
/// </summary>
public sealed class ImageBuilder(
    TemplateResolver templates,
    Planner planner,
    IDiskImages images,
    BackendSelector backends,
    ISecretReader secrets,
    IPasswordHasher passwordHasher,
    TimeProvider time,
    LayerStore layers,
    BuildHistory history,
    SourceDateResolver sourceDates,
    IEnumerable<IImageSealer> sealers) : IImageBuilder
{
    private readonly BuildServices services = new(images, secrets, passwordHasher, time, layers, history,
        sealers.FirstOrDefault() ?? new UnavailableImageSealer());

    public async Task<BuildResult> BuildAsync(Recipe recipe, BuildOptions options, IProgress<BuildEvent>? progress, CancellationToken cancellationToken)
    {
        OutputChecks.ThrowIfMisused(options, 1);
        var started = time.GetTimestamp();
        var events = IBuildEvents.From(progress);
        var prepared = await PrepareAsync(recipe, options, events, started, cancellationToken);
        if (prepared.Result is { } invalid) return invalid;
        using var builds = new LayerBuilds(options.JobSlots);
        return await RunAsync(prepared, options, builds, events, started, cancellationToken);
    }

    public async Task<IReadOnlyList<BuildResult>> BuildAllAsync(IReadOnlyList<Recipe> recipes, BuildOptions options,
        Func<Recipe, IProgress<BuildEvent>?> progress, CancellationToken cancellationToken)
    {
        OutputChecks.ThrowIfMisused(options, recipes.Count);
        var started = time.GetTimestamp();
        // Templates are resolved (built or pulled on first use) and recipes planned one by one, then all run at once.
        var prepared = new List<Prepared>();
        var outputs = new Dictionary<string, Recipe>(StringComparer.Ordinal);
        var sinks = recipes.Select(r => IBuildEvents.From(progress(r))).ToList();
        foreach (var (recipe, events) in recipes.Zip(sinks))
        {
            var one = await PrepareAsync(recipe, options, events, started, cancellationToken);
            if (one.Result is null && outputs.TryGetValue(one.OutputPath, out var first))
            {
                var clash = new Diagnostic(DiagnosticCodes.InvalidValue, Severity.Error,
                    $"recipe '{recipe.Name}' writes the same output as {first.File} ({one.OutputPath})", SourceSpan.StartOf(recipe.File), ".output.path",
                    "give each recipe its own output path");
                one = one with { Result = new BuildResult(BuildOutcome.Invalid, one.Plan, null, [clash], null, time.GetElapsedTime(started)) };
            }
            else if (one.Result is null) outputs[one.OutputPath] = recipe;
            prepared.Add(one);
        }
        if (options.FailFast && prepared.Any(p => p.Result is not null))
            return prepared.Select(p => p.Result ?? NotRun(p, started)).ToList();

        using var failFast = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var builds = new LayerBuilds(options.JobSlots);
        var runs = prepared.Zip(sinks).Select(async pair =>
        {
            var (p, events) = pair;
            if (p.Result is not null) return p.Result;
            await Task.Yield();
            var result = await RunAsync(p, options, builds, events, started, failFast.Token);
            if (options.FailFast && result.Outcome == BuildOutcome.Failed) await failFast.CancelAsync();
            return result;
        }).ToList();
        var results = await Task.WhenAll(runs);
        if (cancellationToken.IsCancellationRequested || !failFast.IsCancellationRequested) return results;
        var failed = prepared.Zip(results).First(r => r.Second.Outcome == BuildOutcome.Failed).First.Recipe.Name;
        return results.Select(r => r.Outcome != BuildOutcome.Cancelled ? r
            : r with { Error = new BuildError($"stopped because recipe '{failed}' failed (--fail-fast)", null, null, null) }).ToList();
    }

    /// <summary>A recipe that was valid but not built because another one was not (--fail-fast).</summary>
    private BuildResult NotRun(Prepared prepared, long started) =>
        new(BuildOutcome.Cancelled, prepared.Plan, null, [], new BuildError("not built: another recipe is invalid (--fail-fast)", null, null, null),
            time.GetElapsedTime(started));

    /// <summary>A recipe ready to run (template resolved, planned, checked, backend chosen), or the result that says why it cannot.</summary>
    private sealed record Prepared(
        Recipe Recipe, string OutputPath, ImageFormat Format, BuildPlan? Plan, DiskInfo? Template, ResolvedTemplate? Resolved,
        BackendDecision? Backend, BuildResult? Result);

    private async Task<Prepared> PrepareAsync(Recipe recipe, BuildOptions options, IBuildEvents events, long started, CancellationToken cancellationToken)
    {
        var outputPath = Path.GetFullPath(options.OutputPath ?? recipe.Output.Path);
        var format = options.OutputPath is null || recipe.Output.FormatGiven ? recipe.Output.Format : ImageFormats.FromExtension(outputPath);
        var prepared = new Prepared(recipe, outputPath, format, null, null, null, null, null);
        BuildResult Invalid(BuildPlan? plan, IReadOnlyList<Diagnostic> problems) =>
            new(BuildOutcome.Invalid, plan, null, problems, null, time.GetElapsedTime(started));
        if (OutputChecks.Problem(recipe, format, options) is { } outputProblem) return prepared with { Result = Invalid(null, [outputProblem]) };
        try
        {
            // git (for the source date) runs while the template is found.
            var dating = ResolveSourceDateAsync(recipe, cancellationToken);
            var (resolved, invalid) = await ResolveTemplateAsync(recipe, options, events, cancellationToken);
            var (sourceDate, badDate) = await dating;
            if (resolved is null) return prepared with { Result = Invalid(null, invalid) };
            if (badDate is not null) return prepared with { Result = Invalid(null, [badDate]) };
            if (recipe.Output.Reproducible && sourceDate is null)
                return prepared with
                {
                    Result = Invalid(null, [new Diagnostic(DiagnosticCodes.InvalidValue, Severity.Error,
                        "a reproducible output needs a source date, and this recipe has none", SourceSpan.StartOf(recipe.File), ".output.reproducible",
                        "write source-date-epoch: SECONDS in the recipe, set SOURCE_DATE_EPOCH, or commit the recipe to git (its last commit's time is used)")]),
                };
            var plan = planner.Plan(recipe, resolved, sourceDate);
            var (problems, template) = await BuildPreflight.CheckAsync(plan, outputPath, resolved.Disk, secrets, images, cancellationToken);
            if (problems.Any(d => d.IsError) || template is null) return prepared with { Result = Invalid(plan, problems) };
            try
            {
                var backend = backends.Choose(options.Backend, recipe.Backend, resolved.Layout());
                return prepared with { Plan = plan, Template = template, Resolved = resolved, Backend = backend };
            }
            catch (BackendUnavailableException e)
            {
                var problem = new Diagnostic(DiagnosticCodes.InvalidValue, Severity.Error, e.Message, recipe.Template.Span, ".backend",
                    "use --backend appliance, or run where the host backend can (root, loop and FUSE devices, qemu-storage-daemon)");
                return prepared with { Result = Invalid(plan, [problem]) };
            }
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested)
        {
            _ = e;
            return prepared with { Result = Cancelled(null, events, started) };
        }
        catch (Exception e)
        {
            var error = BuildErrors.From(e);
            events.Emit(new BuildFailed(error.Message, time.GetElapsedTime(started), error.Hint));
            return prepared with { Result = new BuildResult(BuildOutcome.Failed, null, null, [], error, time.GetElapsedTime(started)) };
        }
    }

    private async Task<BuildResult> RunAsync(Prepared prepared, BuildOptions options, LayerBuilds builds, IBuildEvents events, long started,
        CancellationToken cancellationToken)
    {
        var (recipe, plan, backend) = (prepared.Recipe, prepared.Plan!, prepared.Backend!);
        BuildLog? log = null;
        StreamedOutput? streamed = null;
        try
        {
            // A streamed image is written in a folder of its own, then copied to the stream; it keeps no build log.
            streamed = StreamedOutput.Begin(options, prepared.OutputPath);
            var (outputPath, shown) = streamed is null ? (prepared.OutputPath, prepared.OutputPath) : (streamed.Path, BuildOptions.StreamedOutputName);
            // From here on the build runs: its log goes beside the output, whatever happens.
            if (streamed is null) events = log = BuildLog.Open(prepared.OutputPath, events, options.Trace, time);
            events.Emit(new BuildStarted(recipe.Name, plan.Steps.Count, shown, prepared.Format.Name(), backend.Name, backend.Reason));
            var run = new PlanRun(plan, prepared.Template!, prepared.Resolved!.Layout(), GrowthRequest.For(recipe, prepared.Resolved),
                backend.Backend, outputPath, prepared.Format, options, events, ServicesFor(options), builds);
            var written = await run.RunAsync(cancellationToken);
            if (streamed is not null) await StreamAsync(streamed, options.OutputStream!, events, cancellationToken);
            var elapsed = time.GetElapsedTime(started);
            events.Emit(new BuildSucceeded(shown, prepared.Format.Name(), written.Disk.VirtualSize, written.FileSize, elapsed,
                written.Disk.ActualSize, written.SavedByTrimming));
            return new BuildResult(BuildOutcome.Succeeded, plan, streamed is null ? prepared.OutputPath : null, [], null, elapsed);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Whatever the interrupted operation threw, the cause is the cancellation.
            return Cancelled(plan, events, started);
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
            streamed?.Dispose();
        }
    }

    /// <summary>What a build uses; with <see cref="BuildOptions.CacheFolder"/>, the layer cache and history kept there instead of in the store.</summary>
    private BuildServices ServicesFor(BuildOptions options)
    {
        if (options.CacheFolder is not { } folder) return services;
        var own = new StoreLocation(Path.GetFullPath(folder));
        return services with { Layers = new LayerStore(own, images, time), History = new BuildHistory(own) };
    }

    private async Task StreamAsync(StreamedOutput streamed, Stream stream, IBuildEvents events, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        events.Emit(new PhaseStarted("stream", "Copying the image to the output stream"));
        await streamed.CopyToAsync(stream, cancellationToken);
        events.Emit(new PhaseCompleted("stream", time.GetElapsedTime(started)));
    }

    private BuildResult Cancelled(BuildPlan? plan, IBuildEvents events, long started)
    {
        var elapsed = time.GetElapsedTime(started);
        events.Emit(new BuildFailed("cancelled", elapsed));
        return new BuildResult(BuildOutcome.Cancelled, plan, null, [], new BuildError("the build was cancelled", null, null, null), elapsed);
    }

    /// <summary>The recipe's source date (recipe, SOURCE_DATE_EPOCH, git), or the diagnostic that says SOURCE_DATE_EPOCH is malformed.</summary>
    private async Task<(SourceDate? Date, Diagnostic? Problem)> ResolveSourceDateAsync(Recipe recipe, CancellationToken cancellationToken)
    {
        try
        {
            return (await sourceDates.ResolveAsync(recipe, cancellationToken), null);
        }
        catch (InvalidSourceDateException e)
        {
            return (null, new Diagnostic(DiagnosticCodes.InvalidValue, Severity.Error, e.Message, SourceSpan.StartOf(recipe.File), ".source-date-epoch",
                InvalidSourceDateException.Hint));
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
