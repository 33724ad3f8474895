using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Builder.IntegrationTests.Guestfs;

namespace Builder.IntegrationTests.Growth;

/// <summary>
/// What a built image holds once grown, read on the host from a raw copy: its partition table, the
/// last partition, the size of the filesystem on it (statvfs, mounted read-only), whether the
/// filesystem's own checker finds it clean, and some of its files.
/// </summary>
/// <param name="Label">sfdisk's "dos" or "gpt".</param>
/// <param name="PartitionEnd">Where the last partition ends, in bytes (exclusive).</param>
/// <param name="UsableEnd">Where the disk's usable space ends: the disk's size, or after GPT's last usable sector.</param>
/// <param name="Verify">What sfdisk --verify says of the table.</param>
/// <param name="FilesystemSize">statvfs: blocks times fragment size.</param>
/// <param name="Check">The filesystem checker's exit code and output (e2fsck -fn, xfs_repair -n, btrfs check --readonly).</param>
internal sealed record GrownDisk(
    string Label, long DiskSize, long PartitionEnd, long UsableEnd, bool Bootable, string Verify, string Type, long FilesystemSize,
    (int Code, string Output) Check, IReadOnlyDictionary<string, string> Files)
{
    public static GrownDisk Read(string image, string format, string scratch, params string[] files)
    {
        var raw = Path.Combine(scratch, $"grown-{Guid.NewGuid():N}.raw");
        Tools.Run("qemu-img", "convert", "-f", format, "-O", "raw", image, raw);
        try
        {
            var table = JsonDocument.Parse(Tools.Run("sfdisk", "--json", raw)).RootElement.GetProperty("partitiontable");
            var label = table.GetProperty("label").GetString()!;
            var last = table.GetProperty("partitions").EnumerateArray().MaxBy(p => p.GetProperty("start").GetInt64() + p.GetProperty("size").GetInt64());
            var (start, size) = (last.GetProperty("start").GetInt64() * 512, last.GetProperty("size").GetInt64() * 512);
            var diskSize = new FileInfo(raw).Length;
            var usableEnd = label == "gpt" ? (table.GetProperty("lastlba").GetInt64() + 1) * 512 : diskSize;
            var bootable = last.TryGetProperty("bootable", out var flag) && flag.GetBoolean()
                           || last.TryGetProperty("attrs", out var attrs) && attrs.GetString()!.Contains("LegacyBIOSBootable", StringComparison.Ordinal);
            var (_, verifyOutput, verifyError) = Tools.Exec(null, "sfdisk", "--verify", raw);
            var verify = verifyOutput + verifyError;

            var loop = Tools.Run("losetup", "--find", "--show", "--read-only", "--offset", Text(start), "--sizelimit", Text(size), raw).Trim();
            try
            {
                var type = Tools.Run("blkid", "-p", "-s", "TYPE", "-o", "value", loop).Trim();
                var (code, output, error) = type switch
                {
                    "xfs" => Tools.Exec(null, "xfs_repair", "-n", loop),
                    "btrfs" => Tools.Exec(null, "btrfs", "check", "--readonly", loop),
                    _ => Tools.Exec(null, "e2fsck", "-fn", loop),
                };
                var check = (code, output + error);
                var (filesystemSize, contents) = Mounted(loop, files);
                return new GrownDisk(label, diskSize, start + size, usableEnd, bootable, verify, type, filesystemSize, check, contents);
            }
            finally
            {
                Tools.Run("losetup", "--detach", loop);
            }
        }
        finally
        {
            File.Delete(raw);
        }
    }

    private static (long Size, Dictionary<string, string> Files) Mounted(string device, string[] files)
    {
        var mountPoint = Directory.CreateTempSubdirectory("builder-grown-").FullName;
        try
        {
            Tools.Run("mount", "-o", "ro", device, mountPoint);
            try
            {
                var size = long.Parse(Tools.Run("df", "-B1", "--output=size", mountPoint).Split('\n')[1].Trim(), CultureInfo.InvariantCulture);
                return (size, files.ToDictionary(f => f, f => File.ReadAllText(Path.Combine(mountPoint, f.TrimStart('/')))));
            }
            finally
            {
                Tools.Run("umount", mountPoint);
            }
        }
        finally
        {
            Directory.Delete(mountPoint);
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
