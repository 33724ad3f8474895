using System.Globalization;

namespace Builder.Host.Sealing;

/// <summary>
/// What the seal keeps of an ext2/3/4 filesystem when it makes it again: read from dumpe2fs -h,
/// passed to mke2fs so the new filesystem has the old one's identity (UUID, label, hash seed, so
/// fstab and the bootloader still find it) and shape (features, sizes, journal).
/// </summary>
internal sealed record ExtFilesystem(
    IReadOnlyList<string> Features, string? Label, string Uuid, string HashSeed, string HashAlgorithm, long BlockSize, long InodeSize,
    long InodeCount, long BlockCount, long ReservedBlocks, long? FlexGroupSize, long BlocksPerGroup, long? JournalBlocks,
    IReadOnlyList<string> MountOptions, string ErrorBehavior)
{
    public bool HasJournal => Features.Contains("has_journal");

    /// <summary>Parses dumpe2fs -h; throws <see cref="FormatException"/> naming the field it lacks.</summary>
    public static ExtFilesystem Parse(string dumpe2fs)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in dumpe2fs.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            fields.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
        }
        string Field(string name) => fields.TryGetValue(name, out var value) ? value : throw new FormatException($"dumpe2fs gave no '{name}'");
        long Number(string name) => long.Parse(Field(name), NumberStyles.None, CultureInfo.InvariantCulture);
        long? Optional(string name) => fields.TryGetValue(name, out var value) ? long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture) : null;

        var label = Field("Filesystem volume name");
        var options = Field("Default mount options");
        return new ExtFilesystem(
            Field("Filesystem features").Split(' ', StringSplitOptions.RemoveEmptyEntries),
            label == "<none>" ? null : label,
            Field("Filesystem UUID"),
            Field("Directory Hash Seed"),
            fields.TryGetValue("Default directory hash", out var hash) ? hash : "half_md4",
            Number("Block size"),
            Number("Inode size"),
            Number("Inode count"),
            Number("Block count"),
            Number("Reserved block count"),
            Optional("Flex block group size"),
            Number("Blocks per group"),
            Optional("Total journal blocks") ?? Optional("Journal length"),
            options == "(none)" ? [] : options.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            Field("Errors behavior").ToLowerInvariant());
    }

    /// <summary>mke2fs.conf for the new filesystem: only what no option sets, so the host's own /etc/mke2fs.conf plays no part.</summary>
    public string Configuration() =>
        $"[defaults]\n\thash_alg = {HashAlgorithm}\n\tdefault_mntopts = {string.Join(',', MountOptions)}\n";

    /// <summary>
    /// mke2fs's arguments to make the filesystem again at <paramref name="offset"/> of <paramref name="disk"/>
    /// from the tree at <paramref name="tree"/>, without a journal (added once the bootloader is in).
    /// </summary>
    public IReadOnlyList<string> MakeArguments(string disk, long offset, string tree)
    {
        var features = Features.Where(f => f != "has_journal").Prepend("none");
        List<string> arguments =
        [
            "-q", "-F", "-O", string.Join(',', features),
            "-b", Text(BlockSize), "-I", Text(InodeSize), "-N", Text(InodeCount), "-g", Text(BlocksPerGroup), "-m", "0",
            "-U", Uuid, "-e", ErrorBehavior,
            "-E", $"offset={Text(offset)},hash_seed={HashSeed},lazy_itable_init=0,lazy_journal_init=0,nodiscard",
        ];
        if (FlexGroupSize is { } flex && Features.Contains("flex_bg")) arguments.AddRange(["-G", Text(flex)]);
        if (Label is { } label) arguments.AddRange(["-L", label]);
        arguments.AddRange(["-d", tree, disk, Text(BlockCount)]);
        return arguments;
    }

    /// <summary>tune2fs's arguments to add the journal back, of the old one's size (the default size when it was not whole MiB).</summary>
    public IReadOnlyList<string> JournalArguments(string device)
    {
        var bytes = (JournalBlocks ?? 0) * BlockSize;
        return bytes > 0 && bytes % (1 << 20) == 0
            ? ["-O", "has_journal", "-J", $"size={Text(bytes >> 20)}", device]
            : ["-O", "has_journal", device];
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
