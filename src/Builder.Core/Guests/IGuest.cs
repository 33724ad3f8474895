namespace Builder.Guests;

/// <summary>
/// The narrow port every step is written against: file operations inside a guest whose
/// filesystems are mounted. Paths are absolute guest paths; symlinks (absolute or relative)
/// resolve inside the guest, never on the host. A step never knows which backend runs it.
/// Cancelling any call kills the session: every later call throws OperationCanceledException,
/// and the session only needs disposing.
/// </summary>
public interface IGuest : IAsyncDisposable
{
    /// <summary>What inspection (or the template's metadata) found: OS, distribution, version, package manager, root device.</summary>
    GuestInfo Info { get; }

    /// <summary>lstat(2): the entry itself, not what a symlink points to; null when nothing is there.</summary>
    ValueTask<GuestStat?> LstatAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>readlink(2): what a symlink points at, as stored.</summary>
    ValueTask<string> ReadLinkAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>The whole content of a regular file (following symlinks inside the guest).</summary>
    ValueTask<byte[]> ReadFileAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Create or truncate a file and write content. An existing file keeps its mode and owner; a new one is 0644 root:root.</summary>
    ValueTask WriteFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Append content to a file, creating it (0644 root:root) when missing.</summary>
    ValueTask AppendFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>mkdir -p: create a directory and its missing parents (0755); an existing directory is fine.</summary>
    ValueTask MkdirAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>chmod(2) with permission bits, including setuid, setgid and sticky (07777).</summary>
    ValueTask ChmodAsync(string path, int mode, CancellationToken cancellationToken = default);

    /// <summary>lchown(2): numeric owner and group.</summary>
    ValueTask ChownAsync(string path, int uid, int gid, CancellationToken cancellationToken = default);

    /// <summary>
    /// Create a symlink at linkPath pointing at target. A file or symlink already at linkPath is
    /// replaced (even a symlink to a folder, unlike ln -sf); a folder there is an error.
    /// </summary>
    ValueTask SymlinkAsync(string target, string linkPath, CancellationToken cancellationToken = default);

    /// <summary>Expand a shell glob inside the guest; paths in sorted order, empty when nothing matches.</summary>
    ValueTask<IReadOnlyList<string>> GlobAsync(string pattern, CancellationToken cancellationToken = default);

    /// <summary>rm -rf one path; nothing there is fine.</summary>
    ValueTask DeleteAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Copy a host file into the guest, creating or replacing guestPath.</summary>
    ValueTask UploadAsync(string hostPath, string guestPath, CancellationToken cancellationToken = default);

    /// <summary>
    /// Copy a host folder's contents into an existing guest folder, recursively: files, folders and
    /// symlinks, keeping their permission bits; everything is owned by root.
    /// </summary>
    ValueTask CopyInAsync(string hostFolder, string guestFolder, CancellationToken cancellationToken = default);

    /// <summary>
    /// Run a script in the guest. Each line of its output (stdout and stderr together) goes to
    /// <paramref name="output"/> as it comes, on a worker thread while the session is busy (so the
    /// callback must not call back into the guest); the result has the exit code and the last lines
    /// (a last line without a newline included). A non-zero exit is a result, not an exception.
    /// A script that needs the network must be run in a session opened with network.
    /// </summary>
    ValueTask<GuestCommandResult> RunAsync(GuestCommand command, Action<string> output, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the disk sparse before it is written out, as virt-sparsify does: every mounted
    /// filesystem is trimmed, so blocks no file uses are discarded from the image, and each swap
    /// partition is discarded and made again, empty, with its UUID and label kept. Works without
    /// a shell in the guest. A filesystem or disk that cannot discard is left as it is. Returns
    /// what was done and what could not be, for the build log.
    /// </summary>
    ValueTask<IReadOnlyList<SparsifyOutcome>> SparsifyAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Every entry of the guest's mounted filesystems, "/" included, sorted by path (ordinal): type,
    /// mode, owner, a file's size and sha256, a symlink's target, a device's numbers, the
    /// modification time and extended attributes. Reads every file and changes nothing, access times
    /// included (the filesystems are read-only, or noatime, meanwhile). Nothing the session mounted
    /// itself is listed: a command's staging area is unmounted first (the next command mounts it
    /// again). Works without a shell in the guest.
    /// </summary>
    ValueTask<IReadOnlyList<GuestTreeEntry>> TreeAsync(CancellationToken cancellationToken = default);
}
