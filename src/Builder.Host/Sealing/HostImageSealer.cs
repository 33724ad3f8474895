using System.Globalization;
using Builder.Execution;
using Builder.Host.Disks;
using Builder.Host.Mounting;
using Builder.Host.Native;
using Builder.Host.Sessions;
using Builder.Reproducibility;
using Builder.Storage;

namespace Builder.Host.Sealing;

/// <summary>
/// The seal on the build host, for either backend. The finished disk is exported read-only; each
/// ext2/3/4 partition is mounted read-only and made again in the raw copy with mke2fs -d from that
/// tree: the same UUID, label, hash seed, features and sizes, E2FSPROGS_FAKE_TIME at the source date
/// and an empty mke2fs.conf, so the host's defaults play no part. mke2fs copies each entry's times
/// from the tree, so debugfs then clamps them (<see cref="TimestampScript"/>). A filesystem with
/// extlinux is made without its journal, mounted once for extlinux --install (its boot sector must
/// point at the new blocks), its new inodes and superblock fields set again, and the journal is
/// added last by tune2fs. Partition table, boot code, swap and partitions without a filesystem are
/// kept as they are; other filesystems are refused. Mounts and loop devices live in a host session,
/// so a killed build leaves nothing that doctor cannot clean.
/// </summary>
public sealed class HostImageSealer(StoreLocation store) : IImageSealer
{
    private static readonly TimeSpan ExportTimeout = TimeSpan.FromMinutes(2);
    private static readonly string[] Tools = ["mke2fs", "debugfs", "dumpe2fs", "tune2fs", "fallocate"];

    public async Task SealAsync(string image, string format, string target, long sourceDateEpoch, IBuildEvents events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var availability = HostAvailability.Check(null);
        if (!availability.Available)
            throw new ImageSealException($"the seal runs on the build host, which cannot mount here: {availability.Reason}",
                "build as root on a host with loop devices and FUSE, or remove output.reproducible");
        if (Tools.FirstOrDefault(t => HostTool.Find(t) is null) is { } missing)
            throw new ImageSealException($"the seal needs {missing}, which this host lacks", "install e2fsprogs and util-linux");

        var session = HostSession.Create(store.Root, line => events.Emit(new TraceLine("seal", line)));
        try
        {
            var source = string.Equals(format, "raw", StringComparison.OrdinalIgnoreCase)
                ? Path.GetFullPath(image)
                : (await DiskExport.StartAsync(session, Path.GetFullPath(image), format, ExportTimeout, cancellationToken, writable: false)
                    .ConfigureAwait(false)).Path;
            foreach (var partition in await PartitionTable.ReadAsync(source, session.Trace, cancellationToken).ConfigureAwait(false))
            {
                var block = await BlockProbe.ProbeAsync(source, partition, session.Trace, cancellationToken).ConfigureAwait(false);
                switch (block.Type)
                {
                    case "ext2" or "ext3" or "ext4":
                        await new ExtSeal(session, source, target, partition, block.Type, sourceDateEpoch, cancellationToken).RunAsync().ConfigureAwait(false);
                        break;
                    case null or "" or "swap" or "vfat":
                        // Kept as the finish left it: no filesystem (BIOS boot), swap made again empty, an EFI partition no step changes.
                        break;
                    default:
                        throw new ImageSealException(
                            $"partition {partition.Number} holds {block.Type}, and the seal makes again only ext2, ext3 and ext4 filesystems",
                            "use a template with ext4 filesystems, or remove output.reproducible");
                }
            }
        }
        catch (Exception e) when (e is NativeException or HostToolException or FormatException)
        {
            throw new ImageSealException(e.Message, null, e);
        }
        finally
        {
            var errors = await session.TeardownAsync().ConfigureAwait(false);
            if (errors.Count > 0) events.Emit(new Notice($"the seal could not release everything it held: {errors[0].Message}; `builder doctor --clean` will"));
        }
    }

    /// <summary>One ext2/3/4 partition made again in the target.</summary>
    private sealed class ExtSeal(
        HostSession session, string source, string target, Partition partition, string type, long sourceDate, CancellationToken cancellationToken)
    {
        private readonly Dictionary<string, string> _environment = new()
        {
            ["E2FSPROGS_FAKE_TIME"] = sourceDate.ToString(CultureInfo.InvariantCulture),
        };

        /// <summary>The partition in the target, as e2fsprogs open it: the file and the offset.</summary>
        private string Device => $"{target}?offset={partition.Offset.ToString(CultureInfo.InvariantCulture)}";

        public async Task RunAsync()
        {
            var loop = await LoopDevices.AttachAsync(session, source, partition, cancellationToken).ConfigureAwait(false);
            ExtFilesystem filesystem;
            IReadOnlyList<string> extlinux;
            try
            {
                filesystem = ExtFilesystem.Parse(await HostTool.OutputAsync("dumpe2fs", ["-h", loop.Device], session.Trace, cancellationToken).ConfigureAwait(false));
                // noload: the finish closed the filesystem cleanly, and a journal replay would write to the disk this only reads.
                var (tree, mount) = await MountAsync(loop.Device, "tree", readOnly: true, type == "ext2" ? null : "noload").ConfigureAwait(false);
                try
                {
                    var (entries, folders) = SealTreeWalker.Walk(tree, cancellationToken);
                    extlinux = folders;
                    await MakeAsync(filesystem, tree).ConfigureAwait(false);
                    await DebugfsAsync("times", TimestampScript.ForCopied(entries, sourceDate)).ConfigureAwait(false);
                }
                finally
                {
                    await session.ReleaseAsync(mount).ConfigureAwait(false);
                }
            }
            finally
            {
                await session.ReleaseAsync(loop.Resource).ConfigureAwait(false);
            }
            if (extlinux.Count > 0)
            {
                await InstallExtlinuxAsync(extlinux).ConfigureAwait(false);
                await ClearLastMountedAsync().ConfigureAwait(false);
            }
            await DebugfsAsync("superblock", TimestampScript.ForSuperblock(sourceDate, filesystem.ReservedBlocks)).ConfigureAwait(false);
            if (filesystem.HasJournal)
                await HostTool.OutputAsync("tune2fs", filesystem.JournalArguments(Device), session.Trace, cancellationToken, environment: _environment)
                    .ConfigureAwait(false);
        }

        /// <summary>The partition's range in the target emptied (a hole, so the old blocks are gone), then mke2fs -d from the tree.</summary>
        private async Task MakeAsync(ExtFilesystem filesystem, string tree)
        {
            var length = partition.Size ?? new FileInfo(target).Length - partition.Offset;
            await HostTool.OutputAsync("fallocate", ["--punch-hole", "--offset", Text(partition.Offset), "--length", Text(length), target],
                session.Trace, cancellationToken).ConfigureAwait(false);
            var configuration = Path.Combine(session.WorkFolder, $"mke2fs-{partition.Number}.conf");
            await File.WriteAllTextAsync(configuration, filesystem.Configuration(), cancellationToken).ConfigureAwait(false);
            var environment = new Dictionary<string, string>(_environment) { ["MKE2FS_CONFIG"] = configuration };
            await HostTool.OutputAsync("mke2fs", filesystem.MakeArguments(target, partition.Offset, tree), session.Trace, cancellationToken,
                environment: environment).ConfigureAwait(false);
        }

        /// <summary>extlinux --install in each folder that had it, on the new filesystem; then the times of what it wrote.</summary>
        private async Task InstallExtlinuxAsync(IReadOnlyList<string> folders)
        {
            if (HostTool.Find("extlinux") is null)
                throw new ImageSealException("the image boots with extlinux, and the seal needs extlinux on the build host to install it again",
                    "install the extlinux package");
            var loop = await LoopDevices.AttachAsync(session, target, partition, cancellationToken).ConfigureAwait(false);
            try
            {
                var (root, mount) = await MountAsync(loop.Device, "new", readOnly: false, null).ConfigureAwait(false);
                try
                {
                    foreach (var folder in folders)
                        await HostTool.OutputAsync("extlinux", ["--install", root + folder], session.Trace, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    await session.ReleaseAsync(mount).ConfigureAwait(false);
                }
            }
            finally
            {
                await session.ReleaseAsync(loop.Resource).ConfigureAwait(false);
            }
            var written = folders.SelectMany(f => new[] { f, Join(f, "ldlinux.sys"), Join(f, "ldlinux.c32") });
            await DebugfsAsync("bootloader", TimestampScript.ForKernelWritten(written, sourceDate)).ConfigureAwait(false);
        }

        /// <summary>
        /// The superblock's last-mounted path, which the kernel sets to the seal's own mount folder:
        /// zeroed as mke2fs leaves it (debugfs's ssv can shorten the string, not clear its old bytes).
        /// The superblock script that follows writes the superblock's checksum again.
        /// </summary>
        private async Task ClearLastMountedAsync()
        {
            const int superblockOffset = 1024, lastMountedOffset = 0x88, lastMountedLength = 64;
            await using var disk = new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            disk.Position = partition.Offset + superblockOffset + lastMountedOffset;
            await disk.WriteAsync(new byte[lastMountedLength], cancellationToken).ConfigureAwait(false);
        }

        private async Task<(string Path, SessionResource Mount)> MountAsync(string device, string name, bool readOnly, string? data)
        {
            var folder = Directory.CreateDirectory(Path.Combine(session.WorkFolder, $"seal-{partition.Number}-{name}")).FullName;
            using var at = Syscalls.OpenHost(folder, OpenFlags.Path | OpenFlags.Directory | OpenFlags.NoFollow);
            return (folder, await FilesystemMount.MountAsync(session, device, at, type, readOnly, data).ConfigureAwait(false));
        }

        /// <summary>debugfs -w -f: it exits 0 whatever a command did, so any line on stderr but its banner is a failure.</summary>
        private async Task DebugfsAsync(string name, string script)
        {
            if (script.Length == 0) return;
            var file = Path.Combine(session.WorkFolder, $"debugfs-{partition.Number}-{name}");
            await File.WriteAllTextAsync(file, script, cancellationToken).ConfigureAwait(false);
            var result = await HostTool.RunAsync("debugfs", ["-w", "-f", file, Device], session.Trace, cancellationToken, environment: _environment)
                .ConfigureAwait(false);
            var problems = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(l => !l.StartsWith("debugfs ", StringComparison.Ordinal)).ToList();
            if (result.ExitCode != 0 || problems.Count > 0)
                throw new ImageSealException($"debugfs failed setting the {name} of partition {partition.Number}: {string.Join("; ", problems.Take(3))}");
        }

        private static string Join(string folder, string name) => folder == "/" ? "/" + name : folder + "/" + name;

        private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
