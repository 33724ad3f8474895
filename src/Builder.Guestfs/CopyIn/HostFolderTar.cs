using System.Formats.Tar;
using Builder.Guests;

namespace Builder.Guestfs.CopyIn;

/// <summary>
/// A host folder's contents as a PAX tar for guestfs_tar_in: folders, regular files and symlinks
/// (as symlinks, never followed), with their permission bits and modification times, all owned by
/// uid/gid 0 with no user or group names, so that tar in the appliance makes them root's. The folder
/// itself is not an entry: the guest folder keeps its own mode.
/// </summary>
internal static class HostFolderTar
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes the tar to a new temporary file (mode 0600), which disposing deletes. Host I/O errors become <see cref="GuestOperationException"/>s.</summary>
    public static TemporaryFile Create(string hostFolder, string guestFolder)
    {
        var tar = new TemporaryFile(Path.Combine(Path.GetTempPath(), $"builder-copy-in-{Guid.NewGuid():N}.tar"));
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerReadWrite };
            using var stream = new FileStream(tar.Path, options);
            using var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: false);
            AddChildren(writer, hostFolder, "", guestFolder);
            return tar;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            tar.Dispose();
            throw new GuestOperationException("copy-in", guestFolder, $"could not read the host folder: {e.Message}", e);
        }
        catch
        {
            tar.Dispose();
            throw;
        }
    }

    private static void AddChildren(TarWriter writer, string folder, string prefix, string guestFolder)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal))
        {
            var name = prefix + Path.GetFileName(path);
            var status = HostFileStatus.Of(path);
            switch (status.Type)
            {
                case HostFileType.Directory:
                    writer.WriteEntry(Entry(TarEntryType.Directory, name + "/", status));
                    AddChildren(writer, path, name + "/", guestFolder);
                    break;
                case HostFileType.Symlink:
                    var link = Entry(TarEntryType.SymbolicLink, name, status with { Mode = (UnixFileMode)0x1FF });
                    link.LinkName = new FileInfo(path).LinkTarget ?? throw new IOException($"readlink {path} failed");
                    writer.WriteEntry(link);
                    break;
                case HostFileType.Regular:
                    var file = Entry(TarEntryType.RegularFile, name, status);
                    using (var data = File.OpenRead(path))
                    {
                        file.DataStream = data;
                        writer.WriteEntry(file);
                    }
                    break;
                default:
                    throw new GuestOperationException("copy-in", guestFolder, $"{path} is not a file, folder or symlink (devices, sockets and FIFOs are not copied)");
            }
        }
    }

    private static PaxTarEntry Entry(TarEntryType type, string name, HostFileStatus status) =>
        new(type, name)
        {
            Mode = status.Mode,
            ModificationTime = status.Modified,
            Uid = 0,
            Gid = 0,
            UserName = "",
            GroupName = "",
        };
}

/// <summary>A host file that is deleted on dispose.</summary>
internal sealed class TemporaryFile(string path) : IDisposable
{
    public string Path { get; } = path;

    public void Dispose() => File.Delete(Path);
}
