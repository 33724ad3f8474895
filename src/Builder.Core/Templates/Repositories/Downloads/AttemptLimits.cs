namespace Builder.Templates.Repositories.Downloads;

/// <summary>The attempt's overall timeout and stall timeout, linked with the caller's token.</summary>
internal sealed class AttemptLimits : IDisposable
{
    private readonly DownloadSettings settings;
    private readonly CancellationTokenSource overall;
    private readonly CancellationTokenSource stall;
    private readonly CancellationTokenSource linked;

    public AttemptLimits(CancellationToken token, DownloadSettings settings, TimeProvider time)
    {
        this.settings = settings;
        overall = new CancellationTokenSource(settings.AttemptTimeout, time);
        stall = new CancellationTokenSource(settings.StallTimeout, time);
        linked = CancellationTokenSource.CreateLinkedTokenSource(token, overall.Token, stall.Token);
    }

    /// <summary>Cancelled by the caller, or when either limit is reached.</summary>
    public CancellationToken Token => linked.Token;

    /// <summary>Why the attempt was stopped, when the caller did not stop it: an IOException, so the attempt is retried.</summary>
    public IOException TimedOut() => overall.IsCancellationRequested
        ? new IOException($"the attempt took longer than {settings.AttemptTimeout}")
        : new IOException($"nothing was received for {settings.StallTimeout}");

    /// <summary>Reads from a response body, restarting the stall timer first.</summary>
    public async Task<int> ReadAsync(Stream body, byte[] buffer)
    {
        stall.CancelAfter(settings.StallTimeout);
        return await body.ReadAsync(buffer, linked.Token);
    }

    public void Dispose()
    {
        linked.Dispose();
        stall.Dispose();
        overall.Dispose();
    }
}
