namespace Builder.Host.Sessions;

/// <summary>
/// The host state one session holds, as a stack: each resource is recorded in the session file
/// before it is acquired, held with the way to release it, and released in reverse order at
/// teardown; what fails to release stays recorded, for <see cref="StaleSessions"/> once this process is gone.
/// </summary>
internal sealed class HostSession
{
    private readonly Lock _lock = new();
    private readonly List<Held> _held = [];

    private HostSession(SessionJournal journal, Action<string>? trace)
    {
        Journal = journal;
        Trace = trace;
    }

    private sealed record Held(string Id, Func<Task> Release);

    public SessionJournal Journal { get; }

    public Action<string>? Trace { get; }

    public string WorkFolder => Journal.WorkFolder;

    /// <summary>Creates the session file and the private work folder (0700) beside it.</summary>
    public static HostSession Create(string store, Action<string>? trace)
    {
        var session = new HostSession(SessionJournal.Create(store), trace);
        var folder = new SessionResource(SessionJournal.NewId(), ResourceKind.Folder, session.WorkFolder);
        session.Record(folder);
        Directory.CreateDirectory(session.WorkFolder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return session;
    }

    /// <summary>Records a resource about to be acquired, released at teardown by its record (see <see cref="ResourceRelease"/>).</summary>
    public SessionResource Record(SessionResource resource) =>
        Record(resource, () => ResourceRelease.ReleaseAsync(Journal.Find(resource.Id) ?? resource, Trace, CancellationToken.None));

    /// <summary>Records a resource about to be acquired, with its own way of releasing it.</summary>
    public SessionResource Record(SessionResource resource, Func<Task> release)
    {
        Journal.Add(resource);
        lock (_lock) _held.Add(new Held(resource.Id, release));
        return resource;
    }

    /// <summary>What became known on acquiring (a loop device's name, a pid).</summary>
    public void Update(SessionResource resource) => Journal.Update(resource);

    /// <summary>Releases one resource before teardown (a probe mount, an unneeded loop device).</summary>
    public async Task ReleaseAsync(SessionResource resource)
    {
        Held? held;
        lock (_lock) held = _held.FindLast(h => h.Id == resource.Id);
        if (held is null) return;
        await held.Release().ConfigureAwait(false);
        lock (_lock) _held.Remove(held);
        Journal.Remove(resource.Id);
    }

    /// <summary>
    /// Takes a released resource off the session file. When the store's filesystem is full the file
    /// cannot be rewritten; that is no failure of the teardown: the resource is released, and the file
    /// goes at the end (deleting needs no space), or a later cleanup finds the resource gone.
    /// </summary>
    private void ForgetReleased(string id)
    {
        try
        {
            Journal.Remove(id);
        }
        catch (IOException e)
        {
            Trace?.Invoke($"could not update the session file after releasing {id}: {e.Message}");
        }
    }

    /// <summary>Releases everything, last acquired first; returns what failed. The session file goes when nothing failed.</summary>
    public async Task<IReadOnlyList<Exception>> TeardownAsync()
    {
        var errors = new List<Exception>();
        while (true)
        {
            Held? held;
            lock (_lock)
            {
                if (_held.Count == 0) break;
                held = _held[^1];
                _held.RemoveAt(_held.Count - 1);
            }
            try
            {
                await held.Release().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                errors.Add(e);
                continue;
            }
            ForgetReleased(held.Id);
        }
        if (errors.Count == 0) Journal.Delete();
        return errors;
    }
}
