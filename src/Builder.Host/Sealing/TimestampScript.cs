using System.Globalization;
using System.Text;
using Builder.Reproducibility;

namespace Builder.Host.Sealing;

/// <summary>
/// debugfs commands that make every time in a sealed filesystem a function of the tree and the
/// source date. mke2fs -d copies each entry's times from the tree it reads, and a change time
/// (ctime) can only ever be "now" there; so each entry gets its modification time clamped to the
/// source date, as reproducible-builds.org asks, and its access and change times equal to that.
/// </summary>
internal static class TimestampScript
{
    /// <summary>Commands for the entries mke2fs copied: only the times that differ from what they should be.</summary>
    public static string ForCopied(IEnumerable<SealEntry> entries, long sourceDate)
    {
        var script = new StringBuilder();
        foreach (var entry in entries)
        {
            var time = Math.Min(entry.Modified, sourceDate);
            var path = Quote(entry.Path);
            if (entry.Modified != time) Set(script, path, "mtime", time);
            if (entry.Accessed != time) Set(script, path, "atime", time);
            if (entry.Changed != time) Set(script, path, "ctime", time);
        }
        return script.ToString();
    }

    /// <summary>
    /// Commands for entries the kernel made or changed after mke2fs (the bootloader's files and
    /// folder): every time, their nanoseconds, the creation time, and the random inode generation
    /// and change counter the kernel gives.
    /// </summary>
    public static string ForKernelWritten(IEnumerable<string> paths, long sourceDate)
    {
        var script = new StringBuilder();
        foreach (var quoted in paths.Select(Quote))
        {
            foreach (var field in new[] { "atime", "mtime", "ctime", "crtime" })
            {
                Set(script, quoted, field, sourceDate);
                script.Append("sif ").Append(quoted).Append(' ').Append(field).Append("_extra 0\n");
            }
            script.Append("sif ").Append(quoted).Append(" generation 0\n");
            script.Append("sif ").Append(quoted).Append(" version 0\n");
        }
        return script.ToString();
    }

    /// <summary>Superblock fields a mount writes (times and counters), and the reserved blocks mke2fs was told none of.</summary>
    public static string ForSuperblock(long sourceDate, long reservedBlocks) =>
        string.Create(CultureInfo.InvariantCulture, $"""
            ssv mtime @{sourceDate}
            ssv wtime @{sourceDate}
            ssv lastcheck @{sourceDate}
            ssv mnt_count 0
            ssv kbytes_written 0
            ssv r_blocks_count {reservedBlocks}

            """);

    /// <summary>A path as one debugfs argument: in double quotes, a quote doubled; a line break cannot be written at all.</summary>
    public static string Quote(string path)
    {
        if (path.Any(c => c is '\n' or '\r' or '\0'))
            throw new ImageSealException($"the path {path.ReplaceLineEndings("\\n")} has a line break in its name, which the seal cannot set times on",
                "rename or remove it in a step");
        return "\"" + path.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private static void Set(StringBuilder script, string quotedPath, string field, long seconds) =>
        script.Append("sif ").Append(quotedPath).Append(' ').Append(field).Append(" @").Append(seconds.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
