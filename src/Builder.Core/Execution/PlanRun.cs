using Builder.Caching;
using Builder.Guests;
using Builder.Images;
using Builder.Planning;
using Builder.Recipes;
using Builder.Reproducibility;
using Builder.Secrets;
using Builder.Steps;
using Builder.Templates.Store;

namespace Builder.Execution;

/// <summary>What a build uses from outside: qemu-img, the guest backend, secrets, the hasher, the clock, the layer cache, the sealer.</summary>
internal sealed record BuildServices(
    IDiskImages Images, ISecretReader Secrets, IPasswordHasher PasswordHasher, TimeProvider Time, LayerStore Layers, BuildHistory History,
    IImageSealer Sealer);

/// <summary>
/// One run of one plan, layer by layer: each layer is a qcow2 overlay on the one before it (the
/// first on the template), made in one guest session and published to the layer cache under its
/// id; a cached layer is used as it is. The last layer is then written out as the image.
/// </summary>
/// <param name="growth">How the first layer's session grows the disk's partition and filesystem, when the recipe has a size.</param>
internal sealed partial class PlanRun(
    BuildPlan plan, DiskInfo template, GuestLayout? layout, DiskGrowth? growth, IGuestBackend backend, string outputPath, ImageFormat format,
    BuildOptions options, IBuildEvents events, BuildServices services, LayerBuilds builds)
{
    private readonly LayerCache cache = services.Layers.For(backend.Name);

    /// <summary>Where the build writes now, to name a full filesystem as the cause of a failure.</summary>
    private readonly DiskFullWatch writes = new(outputPath);

    /// <summary>Runs the plan and publishes the output; returns what was written.</summary>
    public async Task<EmittedImage> RunAsync(CancellationToken cancellationToken)
    {
        using var work = WorkArea.CreateBeside(outputPath);
        var held = new List<IDisposable>();
        writes.WritingTo(cache.Root, toCache: true);
        try
        {
            cache.RemoveAbandoned();
            var states = await ResolveAsync(held, cancellationToken);
            var top = new Disk(plan.Template.FullPath, template.Format, null);
            foreach (var hit in states.Where(s => s.Hit))
            {
                events.Emit(new LayerStarted(hit.Layer.Number, plan.Layers.Count, hit.Layer.Id, hit.Layer.FirstStep, hit.Layer.LastStep, "hit", null));
                top = new Disk(cache.OverlayOf(hit.Layer.Id), "qcow2", hit.Layer.Id);
            }
            var units = states.Where(s => !s.Hit).Select(LayerWork).ToList();
            if (plan.Finish is { } finish)
            {
                // The finish follows the last layer: it can only be a hit when every layer is.
                if (units.Count == 0 && await FinishHitAsync(finish, held, cancellationToken) is { } cached) top = new Disk(cached.Path, "qcow2", cached.Id);
                else units.Add(FinishWork(finish));
            }

            var claims = backend.ExpensiveSessions && units.Count > 1
                ? builds.TryClaimAll(units.Where(u => u.Cacheable).Select(u => Key(u.Id)).ToList(), plan.Recipe)
                : null;
            if (claims is not null)
                top = await RunChainAsync(units, claims, top, work, held, cancellationToken);
            else
                foreach (var unit in units)
                    top = await RunUnitAsync(unit, top, work, held, cancellationToken);
            if (states.Count == 0 && plan.Recipe.Size is not null)
                top = await RunUnitAsync(GrowWork(), top, work, held, cancellationToken);
            if (plan.Recipe.Output.Reproducible) top = await SealAsync(top, work, cancellationToken);

            using (await builds.SlotAsync(cancellationToken))
                await EmitAsync(top, work, cancellationToken);
            // qemu-img info (a process) runs while the output is hashed, not after it.
            var info = services.Images.InfoAsync(work.PendingOutput, format.Name(), cancellationToken);
            var facts = new ManifestFacts(contents ?? (plan.Finish is { } made ? cache.ContentsOf(made.Id) : null),
                await Phase("checksum", "Computing the image's sha256", () => ImageSha256.OfAsync(work.PendingOutput, cancellationToken)));
            var written = new EmittedImage(await info, new FileInfo(work.PendingOutput).Length,
                trimmed ?? (plan.Finish is { Sparsify: true } planned ? cache.TrimmedOf(planned.Id) : null));
            cancellationToken.ThrowIfCancellationRequested();
            Publish(work, facts);
            services.History.Save(plan);
            return written;
        }
        catch (Exception e) when (writes.Explain(e) is { } full)
        {
            throw full;
        }
        finally
        {
            foreach (var hold in held) hold.Dispose();
        }
    }

    /// <summary>A disk in the chain: the template, a cached layer (<paramref name="LayerId"/>) or an overlay in the work area.</summary>
    private sealed record Disk(string Path, string Format, string? LayerId);

    /// <summary>
    /// Which layers come from the cache: each is held in use (so no prune removes it) and checked
    /// (size, sha256, qemu-img check) from the first on, up to the first one that is not there.
    /// </summary>
    private async Task<IReadOnlyList<LayerState>> ResolveAsync(List<IDisposable> held, CancellationToken cancellationToken)
    {
        var hits = new HashSet<string>(StringComparer.Ordinal);
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var layer in plan.Layers)
        {
            if (!layer.Cacheable || TryUse(layer.Id) is not { } hold) break;
            var (found, problem) = await cache.FindAsync(layer.Id, cancellationToken);
            if (found is null)
            {
                hold.Dispose();
                if (problem is not null)
                {
                    problems[layer.Id] = problem.Reason;
                    events.Emit(new Notice($"cached layer {layer.Number} ({layer.Id[..12]}) was unusable: {problem.Reason}; it was discarded and is rebuilt"));
                }
                break;
            }
            held.Add(hold);
            hits.Add(layer.Id);
        }
        return MissReasons.States(plan, layer => hits.Contains(layer.Id), services.History.Load(plan.Recipe), problems);
    }

    private IDisposable? TryUse(string id)
    {
        try
        {
            return Directory.Exists(cache.FolderOf(id)) ? cache.Use(id) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private string Key(string id) => $"{cache.Backend}/{id}";

    /// <summary>What one layer (or the finish, with no <paramref name="State"/>) does in its session, and how its overlay is made.</summary>
    /// <param name="Size">The disk size, for the first layer when the recipe grows the disk.</param>
    private sealed record Work(
        string Id, int Number, bool Cacheable, bool Network, string OverlayText, long? Size, Func<IGuest, string, CancellationToken, Task> Body, LayerState? State);

    private Work LayerWork(LayerState state)
    {
        var layer = state.Layer;
        return new Work(layer.Id, layer.Number, layer.Cacheable, layer.UsesNetwork,
            layer.Number == 1 ? $"Creating overlay on {plan.Template.Path}" : $"Creating overlay for layer {layer.Number}",
            layer.Number == 1 ? plan.Recipe.Size?.Bytes : null,
            (guest, _, token) => RunStepsAsync(layer, guest, token), state);
    }

    /// <summary>No steps, but a bigger disk: a session of its own grows the partition and filesystem, and does nothing else.</summary>
    private Work GrowWork() =>
        new(plan.BaseId, 1, false, false, $"Creating overlay on {plan.Template.Path}", plan.Recipe.Size?.Bytes, (_, _, _) => Task.CompletedTask, null);

    /// <summary>The disk a session opens: the first layer's overlay (made with the recipe's size) also grows its partition and filesystem.</summary>
    private GuestDisk DiskFor(Work unit, string overlay) => new(overlay, "qcow2", layout, unit.Size is null ? null : growth);

    private void Started(Work unit, string? startedBy = null)
    {
        if (unit.State is not { Layer: var layer } state) return;
        events.Emit(new LayerStarted(layer.Number, plan.Layers.Count, layer.Id, layer.FirstStep, layer.LastStep, "miss", state.Reason, startedBy));
    }

    private void Completed(Work unit, long started)
    {
        if (unit.State is not { Layer: var layer }) return;
        events.Emit(new LayerCompleted(layer.Number, layer.Id, layer.Cacheable, services.Time.GetElapsedTime(started)));
    }

    /// <summary>
    /// One layer (or the finish) in a session of its own: into the cache (once per run however many
    /// recipes share it, and once across processes), or into the work area when it is not cacheable.
    /// </summary>
    private async Task<Disk> RunUnitAsync(Work unit, Disk parent, WorkArea workArea, List<IDisposable> held, CancellationToken cancellationToken)
    {
        var started = services.Time.GetTimestamp();
        if (!unit.Cacheable)
        {
            Started(unit);
            var disk = await BuildVolatileAsync(unit, parent, workArea, cancellationToken);
            Completed(unit, started);
            return disk;
        }
        await builds.GetOrStart(Key(unit.Id), plan.Recipe, () => BuildCachedAsync(unit, parent, cancellationToken), startedBy => Started(unit, startedBy));
        held.Add(cache.Use(unit.Id));
        Completed(unit, started);
        return new Disk(cache.OverlayOf(unit.Id), "qcow2", unit.Id);
    }

    private async Task<Disk> BuildVolatileAsync(Work work, Disk parent, WorkArea workArea, CancellationToken cancellationToken)
    {
        var overlay = workArea.LayerOverlay(work.Number);
        writes.WritingTo(workArea.Path, toCache: false);
        using (await builds.SlotAsync(cancellationToken))
        {
            await CreateOverlayAsync(work, overlay, parent.Path, parent.Format, cancellationToken);
            await RunSessionAsync(work, overlay, cancellationToken);
            writes.ThrowIfFull();
        }
        return new Disk(overlay, "qcow2", null);
    }

    /// <summary>Builds a layer into the cache, unless another process publishes it while this one waits for its lock.</summary>
    private async Task BuildCachedAsync(Work work, Disk parent, CancellationToken cancellationToken)
    {
        using var slot = await builds.SlotAsync(cancellationToken);
        using var building = await cache.LockAsync(work.Id, events, cancellationToken);
        var (found, _) = await cache.FindAsync(work.Id, cancellationToken);
        if (found is not null)
        {
            events.Emit(new Notice($"layer {work.Id[..12]} was built by another builder process meanwhile; using it"));
            return;
        }
        writes.WritingTo(cache.Root, toCache: true);
        var folder = cache.StartBuilding(work.Id);
        try
        {
            var overlay = Path.Combine(folder, "layer.qcow2");
            var backing = parent.LayerId is { } parentId ? LayerCache.BackingFor(parentId, parent.Path) : parent.Path;
            await CreateOverlayAsync(work, overlay, backing, parent.Format, cancellationToken);
            await RunSessionAsync(work, overlay, cancellationToken);
            writes.ThrowIfFull();
            RecordFinishFacts(work, folder);
            await cache.PublishAsync(work.Id, parent.LayerId ?? plan.BaseId, parent.LayerId, folder, cancellationToken);
        }
        catch (Exception e) when (writes.Explain(e) is { } full)
        {
            TemplateStore.DeleteTree(folder);
            throw full;
        }
        catch
        {
            TemplateStore.DeleteTree(folder);
            throw;
        }
    }

    private Task CreateOverlayAsync(Work work, string overlay, string backing, string backingFormat, CancellationToken cancellationToken) =>
        Phase("overlay", work.OverlayText, () => services.Images.CreateOverlayAsync(overlay, backing, backingFormat, work.Size, cancellationToken));

    private async Task RunStepsAsync(PlannedLayer layer, IGuest guest, CancellationToken cancellationToken)
    {
        var context = new StepContext(guest, events, services.Secrets, services.PasswordHasher, new StepSession());
        foreach (var step in layer.Steps)
            await RunStepAsync(step, context with { Number = step.Number, StepId = step.Id.Hex }, cancellationToken);
    }

    /// <summary>One guest session on a layer's overlay, doing the layer's work.</summary>
    private async Task RunSessionAsync(Work work, string overlay, CancellationToken cancellationToken)
    {
        var session = options.Session with { Network = work.Network };
        var guest = await backend.OpenAsync(DiskFor(work, overlay), session, events, cancellationToken);
        try
        {
            await work.Body(guest, overlay, cancellationToken);
        }
        catch
        {
            // The overlay is thrown away: close the session without letting a close error hide the cause.
            try { await guest.DisposeAsync(); } catch (Exception) { }
            throw;
        }
        // Closing flushes the overlay; an error here means the layer may be incomplete, so it fails the build.
        await guest.DisposeAsync();
    }

    private async Task RunStepAsync(PlannedStep step, StepContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var started = services.Time.GetTimestamp();
        events.Emit(new StepStarted(step.Number, plan.Steps.Count, step.Kind, step.Description, step.Id.Hex, step.Source));
        try
        {
            await step.Step.Kind.ExecuteAsync(step.Step.Options, context, cancellationToken);
        }
        catch (Exception e) when (e is StepFailedException or GuestOperationException && !cancellationToken.IsCancellationRequested)
        {
            throw new StepRunException(step, e);
        }
        events.Emit(new StepCompleted(step.Number, services.Time.GetElapsedTime(started)));
    }

    private Task Phase(string name, string description, Func<Task> action) => events.PhaseAsync(services.Time, name, description, action);

    private Task<T> Phase<T>(string name, string description, Func<Task<T>> action) => events.PhaseAsync(services.Time, name, description, action);
}
