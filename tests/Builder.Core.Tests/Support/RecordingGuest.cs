using System.Text;
using System.Text.RegularExpressions;
using Builder.Guests;

namespace Builder.Tests.Support;

/// <summary>
/// An in-memory guest for unit tests of step logic: a tiny file tree plus a transcript of every
/// call a step makes. It follows no symlinks and knows no mounts; the integration suite checks
/// the real thing.
/// </summary>
public sealed class RecordingGuest : IGuest
{
    private readonly SortedDictionary<string, Entry> entries = new(StringComparer.Ordinal)
    {
        ["/"] = new(GuestFileType.Directory, [], 0x1ED, 0, 0, null),
    };

    public RecordingGuest(GuestInfo? info = null) =>
        Info = info ?? new GuestInfo("linux", "debian", 12, 0, "apt", "/dev/sda1", "x86_64");

    public GuestInfo Info { get; }

    public List<string> Transcript { get; } = [];

    public RecordingGuest WithFile(string path, string content, int mode = 0x1A4, int uid = 0, int gid = 0)
    {
        EnsureParents(path);
        entries[path] = new Entry(GuestFileType.Regular, Encoding.UTF8.GetBytes(content), mode, uid, gid, null);
        return this;
    }

    public RecordingGuest WithDirectory(string path, int mode = 0x1ED, int uid = 0, int gid = 0)
    {
        EnsureParents(path);
        entries[path] = new Entry(GuestFileType.Directory, [], mode, uid, gid, null);
        return this;
    }

    public string Text(string path) => Encoding.UTF8.GetString(entries[path].Content);

    public GuestStat? Stat(string path) => entries.TryGetValue(path, out var e) ? new GuestStat(e.Type, e.Mode, e.Uid, e.Gid, e.Content.Length) : null;

    public string? LinkTarget(string path) => entries.TryGetValue(path, out var e) ? e.Target : null;

    public ValueTask<GuestStat?> LstatAsync(string path, CancellationToken cancellationToken = default)
    {
        Transcript.Add($"lstat {path}");
        return ValueTask.FromResult(Stat(path));
    }

    public ValueTask<string> ReadLinkAsync(string path, CancellationToken cancellationToken = default)
    {
        Transcript.Add($"readlink {path}");
        return ValueTask.FromResult(Existing(path, "readlink").Target
            ?? throw new GuestOperationException("readlink", path, "Invalid argument"));
    }

    public ValueTask<byte[]> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        Transcript.Add($"read {path}");
        return ValueTask.FromResult(Existing(path, "read").Content);
    }

    public ValueTask WriteFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        Transcript.Add($"write {path} ({content.Length} bytes)");
        RequireParent(path, "write");
        entries[path] = entries.TryGetValue(path, out var old)
            ? old with { Content = content.ToArray() }
            : new Entry(GuestFileType.Regular, content.ToArray(), 0x1A4, 0, 0, null);
        return ValueTask.CompletedTask;
    }

    public ValueTask AppendFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        Transcript.Add($"append {path} ({content.Length} bytes)");
        RequireParent(path, "append");
        entries[path] = entries.TryGetValue(path, out var old)
            ? old with { Content = [.. old.Content, .. content.ToArray()] }
            : new Entry(GuestFileType.Regular, content.ToArray(), 0x1A4, 0, 0, null);
        return ValueTask.CompletedTask;
    }

    public ValueTask MkdirAsync(string path, CancellationToken cancellationToken = default)
    {
        Transcript.Add($"mkdir -p {path}");
        EnsureParents(path + "/x");
        return ValueTask.CompletedTask;
    }

    public ValueTask ChmodAsync(string path, int mode, CancellationToken cancellationToken = default)
    {
        Transcript.Add($"chmod {Convert.ToString(mode, 8)} {path}");
        entries[path] = Existing(path, "chmod") with { Mode = mode };
        return ValueTask.CompletedTask;
    }

    public ValueTask ChownAsync(string path, int uid, int gid, CancellationToken cancellationToken = default)
    {
        Transcript.Add($"chown {uid}:{gid} {path}");
        entries[path] = Existing(path, "chown") with { Uid = uid, Gid = gid };
        return ValueTask.CompletedTask;
    }

    public ValueTask SymlinkAsync(string target, string linkPath, CancellationToken cancellationToken = default)
    {
        Transcript.Add($"ln -sf {target} {linkPath}");
        RequireParent(linkPath, "ln");
        entries[linkPath] = new Entry(GuestFileType.Symlink, [], 0x1FF, 0, 0, target);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<string>> GlobAsync(string pattern, CancellationToken cancellationToken = default)
    {
        Transcript.Add($"glob {pattern}");
        var regex = new Regex("^" + Regex.Escape(pattern).Replace("\\*", "[^/]*").Replace("\\?", "[^/]") + "$");
        return ValueTask.FromResult<IReadOnlyList<string>>(entries.Keys.Where(k => regex.IsMatch(k)).ToList());
    }

    public ValueTask DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        Transcript.Add($"rm -rf {path}");
        foreach (var key in entries.Keys.Where(k => k == path || k.StartsWith(path + "/", StringComparison.Ordinal)).ToList())
            entries.Remove(key);
        return ValueTask.CompletedTask;
    }

    public ValueTask UploadAsync(string hostPath, string guestPath, CancellationToken cancellationToken = default)
    {
        Transcript.Add($"upload {Path.GetFileName(hostPath)} {guestPath}");
        RequireParent(guestPath, "upload");
        entries[guestPath] = new Entry(GuestFileType.Regular, File.ReadAllBytes(hostPath), 0x1A4, 0, 0, null);
        return ValueTask.CompletedTask;
    }

    /// <summary>What a command returns; by default it succeeds and prints nothing.</summary>
    public Func<GuestCommand, GuestCommandResult> Commands { get; set; } = _ => new GuestCommandResult(0, []);

    public List<GuestCommand> Ran { get; } = [];

    public ValueTask<GuestCommandResult> RunAsync(GuestCommand command, Action<string> output, CancellationToken cancellationToken = default)
    {
        Transcript.Add($"run{(command.Network ? " (network)" : "")}: {command.Script.Trim().Split('\n')[^1]}");
        Ran.Add(command);
        var result = Commands(command);
        foreach (var line in result.Tail) output(line);
        return ValueTask.FromResult(result);
    }

    public ValueTask CopyInAsync(string hostFolder, string guestFolder, CancellationToken cancellationToken = default)
    {
        Transcript.Add($"copy-in {Path.GetFileName(hostFolder)}/ {guestFolder}");
        foreach (var file in Directory.EnumerateFiles(hostFolder, "*", SearchOption.AllDirectories))
        {
            var target = guestFolder.TrimEnd('/') + "/" + Path.GetRelativePath(hostFolder, file);
            EnsureParents(target);
            entries[target] = new Entry(GuestFileType.Regular, File.ReadAllBytes(file), (int)File.GetUnixFileMode(file), 0, 0, null);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<SparsifyOutcome>> SparsifyAsync(CancellationToken cancellationToken = default)
    {
        Transcript.Add("sparsify");
        return ValueTask.FromResult<IReadOnlyList<SparsifyOutcome>>([new SparsifyOutcome("trimmed /", true)]);
    }

    public ValueTask<IReadOnlyList<GuestTreeEntry>> TreeAsync(CancellationToken cancellationToken = default)
    {
        Transcript.Add("tree");
        return ValueTask.FromResult<IReadOnlyList<GuestTreeEntry>>(entries.Select(e => new GuestTreeEntry(
            e.Key,
            e.Value.Type switch
            {
                GuestFileType.Directory => GuestTreeEntryType.Directory,
                GuestFileType.Symlink => GuestTreeEntryType.Symlink,
                _ => GuestTreeEntryType.File,
            },
            e.Value.Mode, e.Value.Uid, e.Value.Gid,
            e.Value.Type == GuestFileType.Regular ? e.Value.Content.Length : 0,
            e.Value.Type == GuestFileType.Regular ? Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(e.Value.Content)) : null,
            e.Value.Target, null, 0, GuestTreeEntry.NoXattrs)).ToList());
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Entry Existing(string path, string operation) =>
        entries.TryGetValue(path, out var entry)
            ? entry
            : throw new GuestOperationException(operation, path, "No such file or directory");

    private void RequireParent(string path, string operation)
    {
        var parent = path[..Math.Max(1, path.LastIndexOf('/'))];
        if (!entries.ContainsKey(parent)) throw new GuestOperationException(operation, path, "No such file or directory");
    }

    private void EnsureParents(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = "";
        foreach (var part in parts[..^1])
        {
            current += "/" + part;
            entries.TryAdd(current, new Entry(GuestFileType.Directory, [], 0x1ED, 0, 0, null));
        }
    }

    private sealed record Entry(GuestFileType Type, byte[] Content, int Mode, int Uid, int Gid, string? Target);
}
