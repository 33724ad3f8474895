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
internal sealed class PlanRun(
    BuildPlan plan, DiskInfo template, GuestLayout? layout, DiskGrowth? growth, IGuestBackend backend, string outputPath, ImageFormat format,
    BuildOptions options, IBuildEvents events, BuildServices services, LayerBuilds builds)
{
    private readonly LayerCache cache = services.Layers.For(backend.Name);

    /// <summary>The folder the build writes into now, named if its filesystem fills up (see <see cref="DiskFullException"/>).</summary>
    private string writingTo = "";

    /// <summary>Whether <see cref="writingTo"/> is the layer cache (else the work area beside the output).</summary>
    private bool writingToCache = true;

    /// <summary>Runs the plan and publishes the output; returns what was written.</summary>
    public async Task<EmittedImage> RunAsync(CancellationToken cancellationToken)
    {
        using var work = WorkArea.CreateBeside(outputPath);
        var held = new List<IDisposable>();
        WritingTo(cache.Root, toCache: true);
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
        catch (Exception e) when (FullFilesystem(e) is { } full)
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

    private Work FinishWork(PlannedFinish finish)
    {
        var description = "Finishing: " + string.Join(", ", new[]
        {
            finish.CleanPackageCaches ? "cleaning package caches" : null, "removing machine identity",
            finish.RemoveBuildNoise ? "removing build noise" : null, finish.Sparsify ? "trimming" : null,
        }.OfType<string>());
        return new Work(finish.Id, plan.Layers.Count + 1, finish.Cacheable, false, "Creating overlay for the finish", null,
            async (guest, overlay, token) =>
            {
                await Phase("finish", description, async () =>
                {
                    await ImageFinish.RunAsync(guest, finish.CleanPackageCaches, finish.RemoveBuildNoise, token);
                    if (finish.Sparsify) trimmed = await SparsifyAsync(guest, overlay, token);
                });
                contents = await Phase("contents", finish.TreeDigest ? "Listing installed packages and hashing the file tree" : "Listing installed packages",
                    () => ImageContents.ReadAsync(guest, finish.TreeDigest, token));
            }, null);
    }

    /// <summary>What the finish learned, recorded with it in the cache: trimmed bytes, packages and tree digest.</summary>
    private void RecordFinishFacts(Work unit, string folder)
    {
        if (unit.Id != plan.Finish?.Id) return;
        if (trimmed is { } bytes) LayerCache.RecordTrimmed(folder, bytes);
        if (contents is { } found) LayerCache.RecordContents(folder, found);
    }

    /// <summary>The image's packages and tree digest, read by this run's finish (or recorded with the cached finish).</summary>
    private ImageContents? contents;

    /// <summary>Bytes the finish's trimming kept out of the image (this run's, or recorded with the cached finish); null when not trimmed.</summary>
    private long? trimmed;

    /// <summary>
    /// Trims every filesystem and empties swap (<see cref="IGuest.SparsifyAsync"/>), and measures
    /// what that saves: the data a standalone image of the overlay would hold, before and after.
    /// </summary>
    private async Task<long?> SparsifyAsync(IGuest guest, string overlay, CancellationToken cancellationToken)
    {
        var checkpoint = guest as ICheckpointGuest;
        long? before = null;
        if (checkpoint is not null)
        {
            await checkpoint.FlushAsync(cancellationToken);
            before = await services.Images.MeasureAsync(overlay, cancellationToken);
        }
        foreach (var outcome in await guest.SparsifyAsync(cancellationToken))
            events.Emit(outcome.Done ? new TraceLine("sparsify", outcome.Text) : new Notice(outcome.Text));
        if (checkpoint is null || before is null) return null;
        await checkpoint.FlushAsync(cancellationToken);
        return Math.Max(0, before.Value - await services.Images.MeasureAsync(overlay, cancellationToken));
    }

    /// <summary>The finish from the cache, when it is there and sound (and held from now on).</summary>
    private async Task<CachedLayer?> FinishHitAsync(PlannedFinish finish, List<IDisposable> held, CancellationToken cancellationToken)
    {
        if (!finish.Cacheable || TryUse(finish.Id) is not { } hold) return null;
        var (found, problem) = await cache.FindAsync(finish.Id, cancellationToken);
        if (found is not null)
        {
            held.Add(hold);
            return found;
        }
        hold.Dispose();
        if (problem is not null)
            events.Emit(new Notice($"the cached finish ({finish.Id[..12]}) was unusable: {problem.Reason}; it was discarded and is rebuilt"));
        return null;
    }

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

    /// <summary>
    /// Every layer to make (and the finish) in one session, for a backend whose sessions are
    /// expensive: the session's overlay is on the last cached disk, and after each cacheable layer
    /// the guest is flushed and the overlay copied into the cache as that layer (its backing file
    /// the disk the session started on). The last one is moved rather than copied.
    /// </summary>
    private async Task<Disk> RunChainAsync(IReadOnlyList<Work> units, IReadOnlyList<TaskCompletionSource> claims, Disk start, WorkArea workArea,
        List<IDisposable> held, CancellationToken cancellationToken)
    {
        var claimOf = units.Where(u => u.Cacheable).Zip(claims).ToDictionary(p => p.First.Id, p => p.Second);
        var locks = new List<IDisposable>();
        var building = new List<string>();
        try
        {
            // Held until the end, in layer order (as every process takes them), so no other process builds these meanwhile.
            foreach (var unit in units.Where(u => u.Cacheable)) locks.Add(await cache.LockAsync(unit.Id, events, cancellationToken));
            using var slot = await builds.SlotAsync(cancellationToken);
            // The first layer's time includes the session's launch, as it does with a session per layer.
            var started = services.Time.GetTimestamp();
            Started(units[0]);
            var overlay = workArea.LayerOverlay(0);
            WritingTo(workArea.Path, toCache: false);
            await CreateOverlayAsync(units[0], overlay, start.Path, start.Format, cancellationToken);
            var session = options.Session with { Network = units.Any(u => u.Network) };
            var guest = await backend.OpenAsync(DiskFor(units[0], overlay), session, events, cancellationToken);
            var top = start;
            try
            {
                foreach (var unit in units)
                {
                    if (!ReferenceEquals(unit, units[0]))
                    {
                        started = services.Time.GetTimestamp();
                        Started(unit);
                    }
                    await unit.Body(guest, overlay, cancellationToken);
                    if (unit.Cacheable && !ReferenceEquals(unit, units[^1]))
                    {
                        await ((ICheckpointGuest)guest).FlushAsync(cancellationToken);
                        ThrowIfOverlayFilesystemFull();
                        WritingTo(cache.Root, toCache: true);
                        var folder = cache.StartBuilding(unit.Id);
                        building.Add(folder);
                        File.Copy(overlay, Path.Combine(folder, "layer.qcow2"));
                        await PublishCheckpointAsync(unit, start, top, folder, cancellationToken);
                        claimOf[unit.Id].TrySetResult();
                        top = new Disk(cache.OverlayOf(unit.Id), "qcow2", unit.Id);
                        WritingTo(workArea.Path, toCache: false);
                    }
                    Completed(unit, started);
                }
            }
            catch
            {
                try { await guest.DisposeAsync(); } catch (Exception) { }
                throw;
            }
            await guest.DisposeAsync();
            ThrowIfOverlayFilesystemFull();

            var last = units[^1];
            if (!last.Cacheable) return new Disk(overlay, "qcow2", null);
            WritingTo(cache.Root, toCache: true);
            var lastFolder = cache.StartBuilding(last.Id);
            building.Add(lastFolder);
            File.Move(overlay, Path.Combine(lastFolder, "layer.qcow2"));
            RecordFinishFacts(last, lastFolder);
            await PublishCheckpointAsync(last, start, top, lastFolder, cancellationToken);
            claimOf[last.Id].TrySetResult();
            return new Disk(cache.OverlayOf(last.Id), "qcow2", last.Id);
        }
        catch (Exception e)
        {
            foreach (var claim in claims) claim.TrySetException(e);
            throw;
        }
        finally
        {
            foreach (var folder in building) TemplateStore.DeleteTree(folder);
            foreach (var hold in locks) hold.Dispose();
        }

        // A copy of the session's overlay, published as the unit's layer: its backing file is the disk the session started on.
        async Task PublishCheckpointAsync(Work unit, Disk from, Disk previous, string folder, CancellationToken token)
        {
            var copy = Path.Combine(folder, "layer.qcow2");
            var backing = from.LayerId is { } startId ? LayerCache.BackingFor(startId, from.Path) : from.Path;
            await services.Images.SetBackingAsync(copy, backing, from.Format, token);
            await cache.PublishAsync(unit.Id, previous.LayerId ?? plan.BaseId, from.LayerId, folder, token);
            held.Add(cache.Use(unit.Id));
        }
    }

    private async Task<Disk> BuildVolatileAsync(Work work, Disk parent, WorkArea workArea, CancellationToken cancellationToken)
    {
        var overlay = workArea.LayerOverlay(work.Number);
        WritingTo(workArea.Path, toCache: false);
        using (await builds.SlotAsync(cancellationToken))
        {
            await CreateOverlayAsync(work, overlay, parent.Path, parent.Format, cancellationToken);
            await RunSessionAsync(work, overlay, cancellationToken);
            ThrowIfOverlayFilesystemFull();
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
        WritingTo(cache.Root, toCache: true);
        var folder = cache.StartBuilding(work.Id);
        try
        {
            var overlay = Path.Combine(folder, "layer.qcow2");
            var backing = parent.LayerId is { } parentId ? LayerCache.BackingFor(parentId, parent.Path) : parent.Path;
            await CreateOverlayAsync(work, overlay, backing, parent.Format, cancellationToken);
            await RunSessionAsync(work, overlay, cancellationToken);
            ThrowIfOverlayFilesystemFull();
            RecordFinishFacts(work, folder);
            await cache.PublishAsync(work.Id, parent.LayerId ?? plan.BaseId, parent.LayerId, folder, cancellationToken);
        }
        catch (Exception e) when (FullFilesystem(e) is { } full)
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

    /// <summary>
    /// The seal of a reproducible output (<see cref="IImageSealer"/>): a raw copy of the finished disk
    /// in the work area, its filesystems made again from their trees; the emit then converts it.
    /// </summary>
    private async Task<Disk> SealAsync(Disk top, WorkArea work, CancellationToken cancellationToken)
    {
        var sourceDate = plan.SourceDate?.Epoch ?? throw new InvalidOperationException("a reproducible output is planned with its source date");
        var sealedDisk = work.SealedDisk;
        WritingTo(work.Path, toCache: false);
        await Phase("seal", $"Sealing the image: filesystems made again from their trees, times clamped to {sourceDate}", async () =>
        {
            await services.Images.ConvertAsync(top.Path, top.Format, sealedDisk, "raw", cancellationToken);
            await services.Sealer.SealAsync(top.Path, top.Format, sealedDisk, sourceDate, events, cancellationToken);
        });
        return new Disk(sealedDisk, "raw", null);
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

    /// <summary>The image: standalone in the output format, or a thin overlay holding what differs from the template.</summary>
    private Task EmitAsync(Disk top, WorkArea work, CancellationToken cancellationToken)
    {
        WritingTo(work.Path, toCache: false);
        var output = plan.Recipe.Output;
        if (output.BackedByTemplate && format == ImageFormat.Qcow2)
        {
            var backingPath = output.RelativeBacking
                ? Path.GetRelativePath(Path.GetDirectoryName(outputPath)!, plan.Template.FullPath)
                : plan.Template.FullPath;
            return Phase("emit", $"Writing a qcow2 overlay on {plan.Template.Path}", () =>
                services.Images.WriteThinAsync(top.Path, plan.Template.FullPath, template.Format, work.PendingOutput, backingPath, cancellationToken));
        }
        var target = output.TargetFor(format);
        var subformat = output.SubformatFor(format) is { } chosen ? $" ({chosen})" : "";
        return Phase("emit", $"Writing {(target.Compress ? "compressed " : "")}{format.Name()} image{subformat}", () =>
            services.Images.ConvertAsync(top.Path, top.Format, work.PendingOutput, target, cancellationToken));
    }

    /// <summary>
    /// The failure as a full host filesystem, named, when that is what it is: a tool said "No space
    /// left on device", or an I/O error came while the filesystem being written to has no space left
    /// (checked before the failed build's files are removed). A step's own failure is the guest's.
    /// </summary>
    private DiskFullException? FullFilesystem(Exception e)
    {
        if (e is DiskFullException or OperationCanceledException) return null;
        if (e is StepRunException step)
        {
            // "No space left on device" from a step is the guest's filesystem. Any other guest error while the host
            // filesystem under the overlay is full is that: the appliance's disk reports it to the guest as an I/O error.
            if (step.InnerException is not GuestOperationException guest || DiskFullException.IsCause(guest) || !HostFilesystem.IsFull(writingTo))
                return null;
        }
        else if (!DiskFullException.IsCause(e) && !(e is IOException or GuestOperationException or DiskImageException && HostFilesystem.IsFull(writingTo)))
        {
            return null;
        }
        return writingToCache
            ? DiskFullException.For(e, writingTo, "the layer cache", "point BUILDER_STORE at a larger filesystem; `builder cache prune` removes unused layers")
            : DiskFullException.For(e, Path.GetDirectoryName(outputPath)!, "the output's folder", "write the output elsewhere");
    }

    /// <summary>
    /// A session whose writes filled the host filesystem under its overlay may have lost some without
    /// any error: the guest's kernel writes back later, and an appliance's sync(2) reports nothing. So
    /// the overlay is not trusted, and the build fails as a full filesystem (<see cref="FullFilesystem"/>).
    /// </summary>
    private void ThrowIfOverlayFilesystemFull()
    {
        if (HostFilesystem.IsFull(writingTo))
            throw new IOException("No space left on device under the session's overlay: its writes may not all have reached it");
    }

    private void WritingTo(string folder, bool toCache)
    {
        writingTo = folder;
        writingToCache = toCache;
    }

    private async Task Phase(string name, string description, Func<Task> action) =>
        await Phase(name, description, async () =>
        {
            await action();
            return true;
        });

    private async Task<T> Phase<T>(string name, string description, Func<Task<T>> action)
    {
        var started = services.Time.GetTimestamp();
        events.Emit(new PhaseStarted(name, description));
        var result = await action();
        events.Emit(new PhaseCompleted(name, services.Time.GetElapsedTime(started)));
        return result;
    }

    /// <summary>
    /// The manifest first, then the image, each by a rename: a manifest without its image is
    /// harmless, the reverse is not, and a build killed at any point leaves nothing at the output
    /// path. The image is not fsynced, as qemu-img convert, cp or tar do not: measured at 0.3 s for
    /// an 860 MiB image, half of what a rebuild spends beyond its steps; the output is a build
    /// result, made again by building again.
    /// </summary>
    private void Publish(WorkArea work, ManifestFacts facts)
    {
        File.WriteAllText(work.PendingManifest, Manifest.Create(plan, backend.Name, format, facts));
        File.Move(work.PendingManifest, Manifest.PathFor(outputPath), overwrite: true);
        File.Move(work.PendingOutput, outputPath, overwrite: true);
    }
}
