using Builder.Host.Sealing;
using Builder.Reproducibility;

namespace Builder.IntegrationTests.Host;

/// <summary>The seal's pure parts: what it reads from dumpe2fs, what it tells mke2fs and tune2fs, and the debugfs scripts it writes.</summary>
public sealed class SealScriptTests
{
    /// <summary>dumpe2fs -h of the debian-12 template's root filesystem, as e2fsprogs 1.47.0 prints it.</summary>
    private const string Dumpe2fs = """
        Filesystem volume name:   root
        Last mounted on:          /sysroot
        Filesystem UUID:          cb8ebdda-ba9f-44c4-bad7-de6fcf4f0e83
        Filesystem magic number:  0xEF53
        Filesystem revision #:    1 (dynamic)
        Filesystem features:      has_journal ext_attr resize_inode dir_index filetype extent 64bit flex_bg sparse_super large_file huge_file dir_nlink extra_isize metadata_csum
        Filesystem flags:         signed_directory_hash 
        Default mount options:    user_xattr acl
        Filesystem state:         clean
        Errors behavior:          Continue
        Filesystem OS type:       Linux
        Inode count:              131072
        Block count:              524032
        Reserved block count:     26201
        Overhead clusters:        17958
        Free blocks:              332467
        Free inodes:              114681
        First block:              0
        Block size:               4096
        Fragment size:            4096
        Group descriptor size:    64
        Reserved GDT blocks:      255
        Blocks per group:         32768
        Fragments per group:      32768
        Inodes per group:         8192
        Inode blocks per group:   512
        Flex block group size:    16
        Filesystem created:       Fri Nov 27 11:33:27 2026
        Last mount time:          Fri Nov 27 11:33:39 2026
        Last write time:          Fri Nov 27 11:33:39 2026
        Mount count:              1
        Maximum mount count:      -1
        Last checked:             Fri Nov 27 11:33:27 2026
        Check interval:           0 (<none>)
        Lifetime writes:          707 MB
        Reserved blocks uid:      0 (user root)
        Reserved blocks gid:      0 (group root)
        First inode:              11
        Inode size:	          256
        Required extra isize:     32
        Desired extra isize:      32
        Journal inode:            8
        Default directory hash:   half_md4
        Directory Hash Seed:      52ba82b3-9b1c-4803-82d7-cd1888ce30b1
        Journal backup:           inode blocks
        Checksum type:            crc32c
        Checksum:                 0x714d2a90
        Journal features:         journal_64bit journal_checksum_v3
        Total journal size:       32M
        Total journal blocks:     8192
        Max transaction length:   8192
        Fast commit length:       0
        Journal sequence:         0x00000007
        Journal start:            0
        Journal checksum type:    crc32c
        Journal checksum:         0xa582f2cc
        
        """;

    [Fact]
    public void Reads_identity_shape_and_journal_from_dumpe2fs()
    {
        var filesystem = ExtFilesystem.Parse(Dumpe2fs);

        Assert.Equal("root", filesystem.Label);
        Assert.Equal("cb8ebdda-ba9f-44c4-bad7-de6fcf4f0e83", filesystem.Uuid);
        Assert.Equal("52ba82b3-9b1c-4803-82d7-cd1888ce30b1", filesystem.HashSeed);
        Assert.Equal("half_md4", filesystem.HashAlgorithm);
        Assert.Equal((4096, 256, 131072, 524032, 26201, 32768), (filesystem.BlockSize, filesystem.InodeSize, filesystem.InodeCount,
            filesystem.BlockCount, filesystem.ReservedBlocks, filesystem.BlocksPerGroup));
        Assert.Equal(16, filesystem.FlexGroupSize);
        Assert.Equal(8192, filesystem.JournalBlocks);
        Assert.True(filesystem.HasJournal);
        Assert.Equal(["user_xattr", "acl"], filesystem.MountOptions);
        Assert.Equal("continue", filesystem.ErrorBehavior);
    }

    [Fact]
    public void Makes_the_filesystem_again_with_its_identity_and_without_the_journal_which_comes_last()
    {
        var filesystem = ExtFilesystem.Parse(Dumpe2fs);

        var arguments = filesystem.MakeArguments("/work/sealed.raw", 1048576, "/work/tree");

        Assert.Equal("none,ext_attr,resize_inode,dir_index,filetype,extent,64bit,flex_bg,sparse_super,large_file,huge_file,dir_nlink,extra_isize,metadata_csum",
            After(arguments, "-O"));
        Assert.Equal("cb8ebdda-ba9f-44c4-bad7-de6fcf4f0e83", After(arguments, "-U"));
        Assert.Equal("offset=1048576,hash_seed=52ba82b3-9b1c-4803-82d7-cd1888ce30b1,lazy_itable_init=0,lazy_journal_init=0,nodiscard", After(arguments, "-E"));
        Assert.Equal(("4096", "256", "131072", "16", "root", "/work/tree"),
            (After(arguments, "-b"), After(arguments, "-I"), After(arguments, "-N"), After(arguments, "-G"), After(arguments, "-L"), After(arguments, "-d")));
        Assert.Equal(["/work/sealed.raw", "524032"], arguments.TakeLast(2));
        Assert.Equal(["-O", "has_journal", "-J", "size=32", "dev"], filesystem.JournalArguments("dev"));
        Assert.Equal("[defaults]\n\thash_alg = half_md4\n\tdefault_mntopts = user_xattr,acl\n", filesystem.Configuration());
    }

    [Fact]
    public void A_dumpe2fs_without_a_field_it_needs_names_the_field()
    {
        var error = Assert.Throws<FormatException>(() => ExtFilesystem.Parse(Dumpe2fs.Replace("Directory Hash Seed", "Something else")));
        Assert.Contains("Directory Hash Seed", error.Message);
    }

    [Fact]
    public void Clamps_modification_times_to_the_source_date_and_sets_only_the_times_that_differ()
    {
        const long date = 1_700_000_000;
        var script = TimestampScript.ForCopied(
        [
            new SealEntry("/", date - 10, date - 10, date - 10),
            new SealEntry("/etc/motd", date + 500, date + 600, date + 700),
            new SealEntry("/usr/bin/old", date - 99, date + 1, date + 2),
        ], date);

        Assert.Equal($"""
            sif "/etc/motd" mtime @{date}
            sif "/etc/motd" atime @{date}
            sif "/etc/motd" ctime @{date}
            sif "/usr/bin/old" atime @{date - 99}
            sif "/usr/bin/old" ctime @{date - 99}

            """, script);
    }

    [Fact]
    public void What_the_kernel_wrote_gets_every_time_its_nanoseconds_generation_and_version_reset()
    {
        var script = TimestampScript.ForKernelWritten(["/boot/extlinux/ldlinux.sys"], 5);

        foreach (var field in new[] { "atime", "mtime", "ctime", "crtime" })
        {
            Assert.Contains($"sif \"/boot/extlinux/ldlinux.sys\" {field} @5\n", script);
            Assert.Contains($"sif \"/boot/extlinux/ldlinux.sys\" {field}_extra 0\n", script);
        }
        Assert.Contains("sif \"/boot/extlinux/ldlinux.sys\" generation 0\n", script);
        Assert.Contains("sif \"/boot/extlinux/ldlinux.sys\" version 0\n", script);
        Assert.Contains("ssv mtime @5\n", TimestampScript.ForSuperblock(5, 26201));
        Assert.Contains("ssv r_blocks_count 26201\n", TimestampScript.ForSuperblock(5, 26201));
    }

    [Fact]
    public void Quotes_paths_for_debugfs_and_refuses_a_line_break()
    {
        Assert.Equal("\"/srv/a b\"", TimestampScript.Quote("/srv/a b"));
        Assert.Equal("\"/srv/say \"\"hi\"\"\"", TimestampScript.Quote("/srv/say \"hi\""));
        Assert.Equal("\"/srv/back\\slash\"", TimestampScript.Quote("/srv/back\\slash"));
        var error = Assert.Throws<ImageSealException>(() => TimestampScript.Quote("/srv/two\nlines"));
        Assert.Contains("/srv/two\\nlines", error.Message);
    }

    private static string After(IReadOnlyList<string> arguments, string option) => arguments[arguments.ToList().IndexOf(option) + 1];
}
