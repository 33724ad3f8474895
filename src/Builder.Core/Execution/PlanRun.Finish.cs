using Builder.Caching;
using Builder.Guests;
using Builder.Planning;
using Builder.Reproducibility;

namespace Builder.Execution;

/// <summary>The finish of a plan run: cleaning, clone identity, trimming, and what it learns about the image.</summary>
internal sealed partial class PlanRun
{
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
}
