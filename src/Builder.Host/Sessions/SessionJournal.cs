using System.Security.Cryptography;
using System.Text.Json;

namespace Builder.Host.Sessions;

/// <summary>
/// The session file of one live session: which host state it holds, recorded before each piece is
/// acquired and rewritten atomically (a new file renamed over the old one) on every change, and
/// deleted when the session has released everything. <see cref="StaleSessions"/> reads it after a crash.
/// </summary>
internal sealed class SessionJournal
{
    public const string FolderName = "host-sessions";

    private readonly Lock _lock = new();
    private readonly List<SessionResource> _resources = [];
    private readonly int _pid = Environment.ProcessId;
    private readonly ulong _startTime = ProcessIdentity.OwnStartTime();
    private bool _deleted;

    private SessionJournal(string folder, string name)
    {
        Name = name;
        FilePath = Path.Combine(folder, name + ".json");
        WorkFolder = Path.Combine(folder, name);
    }

    public string Name { get; }

    public string FilePath { get; }

    /// <summary>The session's private folder, beside its file; it is the first resource recorded.</summary>
    public string WorkFolder { get; }

    public static string SessionsFolder(string store) => Path.Combine(store, FolderName);

    public static SessionJournal Create(string store)
    {
        var folder = SessionsFolder(store);
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var name = $"{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        var journal = new SessionJournal(folder, name);
        journal.Save();
        return journal;
    }

    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public IReadOnlyList<SessionResource> Resources
    {
        get
        {
            lock (_lock) return [.. _resources];
        }
    }

    /// <summary>The resource as last recorded (with what became known on acquiring it).</summary>
    public SessionResource? Find(string id)
    {
        lock (_lock) return _resources.Find(r => r.Id == id);
    }

    public void Add(SessionResource resource)
    {
        lock (_lock)
        {
            _resources.Add(resource);
            Save();
        }
    }

    /// <summary>Fills in what became known on acquiring (same id).</summary>
    public void Update(SessionResource resource)
    {
        lock (_lock)
        {
            var index = _resources.FindIndex(r => r.Id == resource.Id);
            if (index < 0) _resources.Add(resource);
            else _resources[index] = resource;
            Save();
        }
    }

    public void Remove(string id)
    {
        lock (_lock)
        {
            if (_resources.RemoveAll(r => r.Id == id) > 0) Save();
        }
    }

    /// <summary>The session released everything: no record is left.</summary>
    public void Delete()
    {
        lock (_lock)
        {
            _deleted = true;
            File.Delete(FilePath);
        }
    }

    private void Save()
    {
        if (_deleted) return;
        var record = new SessionRecord(Name, _pid, _startTime, [.. _resources]);
        Write(FilePath, record);
    }

    /// <summary>Writes a record to a temporary file beside the target and renames it over the target.</summary>
    public static void Write(string path, SessionRecord record)
    {
        var temporary = $"{path}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}.tmp";
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            };
            using (var stream = new FileStream(temporary, options))
            {
                JsonSerializer.Serialize(stream, record, SessionJson.Default.SessionRecord);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    public static SessionRecord? Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, SessionJson.Default.SessionRecord);
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }
}
