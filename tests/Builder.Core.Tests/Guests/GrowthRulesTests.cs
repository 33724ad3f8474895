using Builder.Guests;

namespace Builder.Tests.Guests;

/// <summary>Which partition a recipe's size grows, and the errors that say why a disk cannot grow.</summary>
public sealed class GrowthRulesTests
{
    private static readonly DiskGrowth FourGiB = new(4L << 30);

    [Fact]
    public void Grows_the_partition_that_ends_last_whatever_its_number()
    {
        Assert.Equal(1, GrowthRules.ChoosePartition(FourGiB, [(2, 100), (1, 900)]));
        Assert.Equal(3, GrowthRules.ChoosePartition(FourGiB with { Partition = "/dev/sda3" }, [(1, 100), (2, 500), (3, 900)]));
        Assert.Equal(2, GrowthRules.ChoosePartition(FourGiB with { Partition = "/dev/vda2" }, [(1, 100), (2, 500)]));
    }

    [Fact]
    public void Refuses_an_expand_partition_that_is_not_the_last()
    {
        var error = Assert.Throws<DiskGrowthException>(() =>
            GrowthRules.ChoosePartition(FourGiB with { Partition = "/dev/sda1" }, [(1, 100), (2, 500)]));

        Assert.Equal("cannot grow the disk: the template's metadata names /dev/sda1 to expand, but only the last partition can grow, and that is /dev/sda2",
            error.Message);
    }

    [Theory]
    [InlineData("/dev/sdb1")]
    [InlineData("/dev/vg/root")]
    [InlineData("/dev/sda")]
    public void Refuses_an_expand_that_names_no_partition_of_the_first_disk(string device)
    {
        var error = Assert.Throws<DiskGrowthException>(() => GrowthRules.ChoosePartition(FourGiB with { Partition = device }, [(1, 100)]));

        Assert.Contains($"names {device} to expand, which is not a partition of the disk", error.Message);
    }

    [Fact]
    public void Refuses_a_disk_without_partitions_and_a_logical_partition()
    {
        Assert.Contains("no partition table", Assert.Throws<DiskGrowthException>(() => GrowthRules.ChoosePartition(FourGiB, [])).Message);
        Assert.Contains("/dev/sda5) is a logical partition", Assert.Throws<DiskGrowthException>(() => GrowthRules.CheckPrimary(5, gpt: false)).Message);
        GrowthRules.CheckPrimary(5, gpt: true);
    }

    [Fact]
    public void Names_what_it_found_and_what_grows_when_the_last_partition_cannot()
    {
        var error = DiskGrowthException.Unsupported("/dev/sda2", "swap");

        Assert.Equal("cannot grow the disk: this template's last partition (/dev/sda2) is swap; growing is supported for ext2/3/4, xfs, btrfs and LVM",
            error.Message);
        Assert.StartsWith("remove size: from the recipe", error.Hint);
    }

    [Fact]
    public void Describes_the_growth_as_its_phase()
    {
        Assert.Equal("Growing /dev/sda1 and its ext4 filesystem to 4 GiB", new GrowthTarget("/dev/sda1", 1, false, false, null, "ext4").Describe(4L << 30));
        Assert.Equal("Growing /dev/sda2 and its LVM physical volume to 20 GiB", new GrowthTarget("/dev/sda2", 2, true, true, null, null).Describe(20L << 30));
        Assert.Equal("Growing /dev/sda2 (LVM physical volume), /dev/vg/root and its xfs filesystem to 8 GiB",
            new GrowthTarget("/dev/sda2", 2, true, true, "/dev/vg/root", "xfs").Describe(8L << 30));
    }
}
