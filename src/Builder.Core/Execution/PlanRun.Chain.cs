using Builder.Caching;
using Builder.Guests;
using Builder.Templates.Store;

namespace Builder.Execution;

/// <summary>A plan run on a backend whose sessions are expensive: every layer to make in one session.</summary>
internal sealed partial class PlanRun
{
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
            writes.WritingTo(workArea.Path, toCache: false);
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
                        writes.ThrowIfFull();
                        writes.WritingTo(cache.Root, toCache: true);
                        var folder = cache.StartBuilding(unit.Id);
                        building.Add(folder);
                        File.Copy(overlay, Path.Combine(folder, "layer.qcow2"));
                        await PublishCheckpointAsync(unit, start, top, folder, cancellationToken);
                        claimOf[unit.Id].TrySetResult();
                        top = new Disk(cache.OverlayOf(unit.Id), "qcow2", unit.Id);
                        writes.WritingTo(workArea.Path, toCache: false);
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
            writes.ThrowIfFull();

            var last = units[^1];
            if (!last.Cacheable) return new Disk(overlay, "qcow2", null);
            writes.WritingTo(cache.Root, toCache: true);
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
}
