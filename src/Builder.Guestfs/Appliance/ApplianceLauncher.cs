using Builder.Guestfs.Native;
using Builder.Guests;

namespace Builder.Guestfs.Appliance;

/// <summary>
/// Runs guestfs_launch, which blocks, on a worker thread under a timeout and a cancellation token.
/// On either, the qemu that this launch started is killed so that launch returns; it is never left hanging.
/// </summary>
internal static class ApplianceLauncher
{
    private static readonly TimeSpan KillInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>How long to keep killing before giving up waiting (launch may still be before qemu, e.g. building the appliance).</summary>
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(30);

    public static async Task LaunchAsync(
        GuestfsConnection connection, string diskPath, TimeSpan timeout, string acceleratorName,
        TimeProvider time, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var launch = Task.Factory.StartNew(
            connection.Launch, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            await launch.WaitAsync(linked.Token).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
        }
        catch (GuestfsException e)
        {
            throw LaunchFailed(e, connection, diskPath);
        }

        if (!await KillUntilReturnedAsync(launch, diskPath, KillGrace).ConfigureAwait(false))
            _ = KillUntilReturnedAsync(launch, diskPath, Timeout.InfiniteTimeSpan);
        _ = launch.ContinueWith(t => t.Exception, TaskScheduler.Default); // observed: its failure is ours

        cancellationToken.ThrowIfCancellationRequested();
        throw new TimeoutException(
            $"appliance launch exceeded {timeout.TotalSeconds:0.#} s and was killed (accelerator: {acceleratorName})");
    }

    private static async Task<bool> KillUntilReturnedAsync(Task launch, string diskPath, TimeSpan limit)
    {
        var deadline = limit == Timeout.InfiniteTimeSpan ? DateTime.MaxValue : DateTime.UtcNow + limit;
        while (!launch.IsCompleted)
        {
            if (DateTime.UtcNow > deadline) return false;
            QemuProcesses.KillChildrenUsingDisk(diskPath);
            await Task.WhenAny(launch, Task.Delay(KillInterval)).ConfigureAwait(false);
        }
        return true;
    }

    private static GuestOperationException LaunchFailed(GuestfsException error, GuestfsConnection connection, string diskPath)
    {
        var output = connection.Events.LastApplianceLines.TakeLast(6).ToList();
        var message = output.Count == 0
            ? $"{error.Summary} (trace the session to see the appliance's output)"
            : $"{error.Summary} The appliance said:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", output)}";
        return new GuestOperationException("launch", diskPath, message, error);
    }
}
