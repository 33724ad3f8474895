namespace Builder.Guests;

/// <summary>
/// The disk cannot grow as the recipe's size asks: what was found on the disk, and what to do
/// instead. Thrown by a backend when a session opens, before anything on the disk has changed.
/// </summary>
public sealed class DiskGrowthException : Exception
{
    private const string Supported = "growing is supported for ext2/3/4, xfs, btrfs and LVM";
    private const string RemoveSize = "remove size: from the recipe, or use a template whose last partition holds an ext4, xfs or btrfs filesystem or an LVM physical volume";

    private DiskGrowthException(string message, string hint) : base("cannot grow the disk: " + message) => Hint = hint;

    public string Hint { get; }

    public static DiskGrowthException NoPartitionTable() =>
        new("the disk has no partition table, so there is no partition to grow", RemoveSize);

    /// <param name="found">What is on it, as blkid or libguestfs names it ("swap"), or null when nothing is recognised.</param>
    public static DiskGrowthException Unsupported(string partition, string? found) =>
        new($"this template's last partition ({partition}) is {Found(found)}; {Supported}", RemoveSize);

    public static DiskGrowthException NotLast(string requested, string last) =>
        new($"the template's metadata names {requested} to expand, but only the last partition can grow, and that is {last}",
            "remove size: from the recipe, or give the template an expand= that names its last partition");

    public static DiskGrowthException NotAPartition(string requested) =>
        new($"the template's metadata names {requested} to expand, which is not a partition of the disk (such as /dev/sda2)",
            "give the template an expand= that names its last partition, as /dev/sdaN");

    public static DiskGrowthException Logical(string partition) =>
        new($"the last partition ({partition}) is a logical partition inside an extended one; growing is supported for primary MBR partitions and GPT partitions",
            RemoveSize);

    public static DiskGrowthException MbrLimit(string partition) =>
        new($"{partition} would end beyond 2 TiB, which an MBR partition table cannot address", "give a size of at most 2T, or use a GPT template");

    public static DiskGrowthException NotAPhysicalVolume(string partition, string? found, string volume) =>
        new($"the template's metadata names the logical volume {volume} to expand, but {partition} is {Found(found)}, not an LVM physical volume",
            "remove lvexpand= from the template's metadata, or size: from the recipe");

    public static DiskGrowthException NoSuchVolume(string volume, IReadOnlyList<string> volumes) =>
        new($"the template's metadata names the logical volume {volume} to expand, but the disk has {(volumes.Count == 0 ? "no logical volumes" : string.Join(", ", volumes))}",
            "give the template an lvexpand= that names one of its logical volumes");

    /// <summary>The host backend does not open LVM (nor would it grow it); the appliance does.</summary>
    public static DiskGrowthException LvmOnHost(string partition) =>
        new($"the last partition ({partition}) is an LVM physical volume, which the host backend does not open", "build with --backend appliance");

    public static DiskGrowthException MissingHostTool(string program, string filesystem, string package) =>
        new($"growing the {filesystem} filesystem needs {program}, which is not installed on this host",
            $"apt-get install {package}, or build with --backend appliance");

    private static string Found(string? found) => found switch
    {
        null or "" or "unknown" => "not a filesystem that could be recognised",
        "swap" => "swap",
        _ => $"{found}",
    };
}
