namespace Builder.Guests;

/// <summary>What an entry of a guest's file tree is. Sockets are not listed (tar, which the appliance reads trees with, cannot hold them).</summary>
public enum GuestTreeEntryType { File, Directory, Symlink, CharDevice, BlockDevice, Fifo }

/// <summary>
/// One entry of a guest's file tree, as <see cref="IGuest.TreeAsync"/> lists it: everything that
/// tells two images apart file by file. A hard link is listed as the file it is (every name of it,
/// each with the content).
/// </summary>
/// <param name="Path">Absolute guest path; "/" for the root.</param>
/// <param name="Mode">Permission bits, setuid, setgid and sticky included (07777).</param>
/// <param name="Size">A regular file's length in bytes; 0 for anything else.</param>
/// <param name="Sha256">A regular file's content, as lowercase hex sha256; null for anything else.</param>
/// <param name="Target">A symlink's target, as stored; null for anything else.</param>
/// <param name="Device">A device node's "major:minor"; null for anything else.</param>
/// <param name="Modified">The modification time, in whole seconds since 1970-01-01 UTC.</param>
/// <param name="Xattrs">Extended attributes by name, each value as UTF-8 text (invalid bytes replaced); empty when it has none.</param>
public sealed record GuestTreeEntry(
    string Path,
    GuestTreeEntryType Type,
    int Mode,
    int Uid,
    int Gid,
    long Size,
    string? Sha256,
    string? Target,
    string? Device,
    long Modified,
    IReadOnlyDictionary<string, string> Xattrs)
{
    public static readonly IReadOnlyDictionary<string, string> NoXattrs = new Dictionary<string, string>();

    /// <summary>The path of an entry named <paramref name="name"/> in the folder at <paramref name="folder"/>.</summary>
    public static string Child(string folder, string name) => folder == "/" ? "/" + name : folder + "/" + name;
}
