using Builder.Recipes;

namespace Builder.Execution;

/// <summary>
/// What the recipes of one run share: the layers being built (each built once, however many
/// recipes start with it; the others wait for it) and the job slots that bound how many guest
/// sessions and image writes run at once (-j), and so the memory a run takes.
/// </summary>
internal sealed class LayerBuilds(int jobs) : IDisposable
{
    private readonly SemaphoreSlim slots = new(Math.Max(1, jobs));
    private readonly Dictionary<string, (Recipe Recipe, Task Build)> builds = new(StringComparer.Ordinal);

    /// <summary>
    /// The build of the layer under <paramref name="key"/>: started now by <paramref name="recipe"/>, or
    /// already started by another recipe. <paramref name="announce"/> is told which (the other recipe's
    /// name, or null) before the build begins, so what it reports comes before anything the build reports.
    /// </summary>
    public Task GetOrStart(string key, Recipe recipe, Func<Task> build, Action<string?> announce)
    {
        TaskCompletionSource pending;
        lock (builds)
        {
            if (builds.TryGetValue(key, out var existing))
            {
                announce(ReferenceEquals(existing.Recipe, recipe) ? null : existing.Recipe.Name);
                return existing.Build;
            }
            pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            builds[key] = (recipe, pending.Task);
        }
        announce(null);
        return Run(build, pending);
    }

    /// <summary>
    /// Claims the builds of several layers at once for one session that makes them all, or none
    /// when another recipe already builds one of them. Complete each claim when its layer is published.
    /// </summary>
    public IReadOnlyList<TaskCompletionSource>? TryClaimAll(IReadOnlyList<string> keys, Recipe recipe)
    {
        lock (builds)
        {
            if (keys.Any(builds.ContainsKey)) return null;
            var claims = keys.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
            for (var i = 0; i < keys.Count; i++) builds[keys[i]] = (recipe, claims[i].Task);
            return claims;
        }
    }

    /// <summary>Waits for a job slot; dispose the result to give it back.</summary>
    public async Task<IDisposable> SlotAsync(CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken);
        return new Slot(slots);
    }

    public void Dispose() => slots.Dispose();

    private static async Task Run(Func<Task> build, TaskCompletionSource pending)
    {
        try
        {
            await Task.Yield();
            await build();
            pending.SetResult();
        }
        catch (OperationCanceledException e)
        {
            pending.SetCanceled(e.CancellationToken);
        }
        catch (Exception e)
        {
            pending.SetException(e);
        }
        await pending.Task;
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) slots.Release();
        }
    }
}
