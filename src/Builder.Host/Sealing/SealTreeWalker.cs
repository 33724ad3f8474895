using Builder.Guests;
using Builder.Host.Native;
using Builder.Reproducibility;

namespace Builder.Host.Sealing;

/// <summary>
/// Every entry of one filesystem, mounted read-only in the seal's private folder, with its times
/// (symlinks are listed, never followed), and the folders that hold an extlinux bootloader.
/// </summary>
internal sealed class SealTreeWalker(CancellationToken cancellationToken)
{
    /// <summary>extlinux's boot file: the bootloader is installed again in the folder that holds it.</summary>
    public const string ExtlinuxBootFile = "ldlinux.sys";

    private readonly List<SealEntry> _entries = [];
    private readonly List<string> _extlinuxFolders = [];

    public static (IReadOnlyList<SealEntry> Entries, IReadOnlyList<string> ExtlinuxFolders) Walk(string mountPoint, CancellationToken cancellationToken)
    {
        var walker = new SealTreeWalker(cancellationToken);
        walker.Add("/", FileStatus.OfHostPath(mountPoint));
        walker.WalkFolder(mountPoint, "/");
        return (walker._entries, walker._extlinuxFolders);
    }

    private void WalkFolder(string hostFolder, string path)
    {
        foreach (var hostPath in Directory.EnumerateFileSystemEntries(hostFolder).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(hostPath);
            var child = path == "/" ? "/" + name : path + "/" + name;
            FileStatus status;
            try
            {
                status = FileStatus.OfHostPath(hostPath);
            }
            catch (NativeException e) when (e.Errno == Errno.ENOENT)
            {
                throw new ImageSealException($"the name of {child} is not valid UTF-8, so the seal cannot set its times",
                    "rename it in a step, or build without output.reproducible", e);
            }
            Add(child, status);
            if (name == ExtlinuxBootFile && status.Type == GuestFileType.Regular) _extlinuxFolders.Add(path);
            if (status.Type == GuestFileType.Directory) WalkFolder(hostPath, child);
        }
    }

    private void Add(string path, FileStatus status) =>
        _entries.Add(new SealEntry(path, status.Modified.ToUnixTimeSeconds(), status.Accessed, status.Changed));
}
