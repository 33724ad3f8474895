using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Builder.IntegrationTests.Guestfs;

namespace Builder.IntegrationTests.Growth;

/// <summary>One partition of a <see cref="TestDisks"/> disk: its size in MiB (null: the rest of the disk) and what goes on it.</summary>
/// <param name="Content">"ext4", "xfs", "btrfs" or "swap".</param>
internal sealed record TestPartition(int? MiB, string Content);

/// <summary>
/// Small raw disks made on the host for growth tests: sfdisk writes the table, each partition gets
/// a loop device at its offset for mkfs or mkswap, and the last filesystem gets a /data file.
/// </summary>
internal static class TestDisks
{
    public const string DataFile = "data";

    private const string LinuxGuid = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";

    /// <param name="label">sfdisk's "gpt" or "dos".</param>
    public static string Create(string path, string label, int diskMiB, string data, params TestPartition[] partitions)
    {
        using (var file = new FileStream(path, FileMode.CreateNew)) file.SetLength((long)diskMiB << 20);
        var type = label == "gpt" ? LinuxGuid : "83";
        var script = $"label: {label}\n" + string.Concat(partitions.Select(p =>
            $"{(p.MiB is { } mib ? $"size={mib}MiB, " : "")}type={(p.Content == "swap" && label == "dos" ? "82" : type)}\n"));
        Tools.RunWithInput(script, "sfdisk", "--quiet", path);
        var table = JsonDocument.Parse(Tools.Run("sfdisk", "--json", path)).RootElement.GetProperty("partitiontable").GetProperty("partitions");
        for (var i = 0; i < partitions.Length; i++)
        {
            var entry = table[i];
            var loop = Tools.Run("losetup", "--find", "--show", "--offset", Sectors(entry, "start"), "--sizelimit", Sectors(entry, "size"), path).Trim();
            try
            {
                Format(loop, partitions[i].Content);
                if (partitions[i].Content != "swap") WriteData(loop, data);
            }
            finally
            {
                Tools.Run("losetup", "--detach", loop);
            }
        }
        return path;
    }

    private static string Sectors(JsonElement entry, string field) =>
        (entry.GetProperty(field).GetInt64() * 512).ToString(CultureInfo.InvariantCulture);

    private static void Format(string device, string content)
    {
        switch (content)
        {
            case "swap": Tools.Run("mkswap", "--label", "swap", device); break;
            case "xfs": Tools.Run("mkfs.xfs", "-q", "-f", device); break;
            case "btrfs": Tools.Run("mkfs.btrfs", "-q", "-f", device); break;
            default: Tools.Run("mkfs.ext4", "-q", "-F", device); break;
        }
    }

    private static void WriteData(string device, string data)
    {
        var mountPoint = Directory.CreateTempSubdirectory("builder-test-disk-").FullName;
        try
        {
            Tools.Run("mount", device, mountPoint);
            try { File.WriteAllText(Path.Combine(mountPoint, DataFile), data); }
            finally { Tools.Run("umount", mountPoint); }
        }
        finally
        {
            Directory.Delete(mountPoint);
        }
    }
}
