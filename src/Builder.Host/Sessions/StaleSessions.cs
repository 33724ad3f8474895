namespace Builder.Host.Sessions;

/// <summary>
/// Finds and cleans what host sessions of dead processes left: session files whose owner (pid and
/// start time) is gone, and of their recorded resources those that still exist. Nothing that is
/// not recorded is touched. Cleaners are serialized by a lock file, so two builds starting at once
/// do not clean the same session twice.
/// </summary>
internal sealed class StaleSessions(string store)
{
    private const string LockName = ".clean.lock";

    /// <summary>A dead session's record and which of its resources still exist.</summary>
    public sealed record Stale(string File, SessionRecord Record, IReadOnlyList<SessionResource> Existing);

    public IReadOnlyList<Stale> Find()
    {
        var folder = SessionJournal.SessionsFolder(store);
        if (!Directory.Exists(folder)) return [];
        var stale = new List<Stale>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            if (SessionJournal.Read(file) is not { } record) continue;
            if (ProcessIdentity.IsAlive(record.Pid, record.StartTime)) continue;
            stale.Add(new Stale(file, record, record.Resources.Where(ResourceRelease.Exists).ToList()));
        }
        return stale;
    }

    public static IReadOnlyList<string> Describe(IEnumerable<Stale> stale) =>
        stale.SelectMany(s => s.Existing.Select(r => $"{r} (host session {s.Record.Name}, process {s.Record.Pid} is gone)")).ToList();

    /// <summary>Releases each dead session's resources, last recorded first, and removes its file once all are gone.</summary>
    public async Task<IReadOnlyList<string>> CleanAsync(Action<string>? trace, CancellationToken cancellationToken)
    {
        var folder = SessionJournal.SessionsFolder(store);
        if (!Directory.Exists(folder)) return [];
        using var exclusive = await LockAsync(folder, cancellationToken).ConfigureAwait(false);
        var cleaned = new List<string>();
        var failures = new List<Exception>();
        foreach (var session in Find())
        {
            var remaining = session.Record.Resources.ToList();
            foreach (var resource in Enumerable.Reverse(session.Record.Resources))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var existed = session.Existing.Any(r => r.Id == resource.Id);
                try
                {
                    await ResourceRelease.ReleaseAsync(resource, trace, cancellationToken).ConfigureAwait(false);
                    remaining.Remove(resource);
                    if (existed) cleaned.Add(resource.ToString());
                }
                catch (Exception e) when (e is IOException or HostToolException)
                {
                    failures.Add(new IOException($"could not release {resource} of host session {session.Record.Name}: {e.Message}", e));
                }
            }
            if (remaining.Count == 0) File.Delete(session.File);
            else SessionJournal.Write(session.File, session.Record with { Resources = remaining });
        }
        if (failures.Count > 0) throw new AggregateException("some host resources left by dead builds could not be cleaned", failures);
        return cleaned;
    }

    /// <summary>flock on a lock file in the sessions folder (FileShare.None takes it), waited for.</summary>
    private static async Task<FileStream> LockAsync(string folder, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, LockName);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
