namespace Builder.Templates.Repositories.Downloads;

/// <summary>Limits of one download attempt; the "download" pipeline decides how many attempts there are.</summary>
/// <param name="AttemptTimeout">The longest one attempt may take, start to end; the next attempt resumes.</param>
/// <param name="StallTimeout">The longest a transfer may go without receiving a byte.</param>
/// <param name="ConnectTimeout">The longest connecting to a server may take.</param>
/// <param name="MaxIndexBytes">An index larger than this is refused (indexes are kilobytes).</param>
public sealed record DownloadSettings(TimeSpan AttemptTimeout, TimeSpan StallTimeout, TimeSpan ConnectTimeout, long MaxIndexBytes)
{
    public static DownloadSettings Default { get; } = new(
        AttemptTimeout: TimeSpan.FromHours(1),
        StallTimeout: TimeSpan.FromMinutes(2),
        ConnectTimeout: TimeSpan.FromSeconds(30),
        MaxIndexBytes: 16L << 20);
}
