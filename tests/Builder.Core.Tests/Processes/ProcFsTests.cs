using System.Diagnostics;
using Builder.Processes;

namespace Builder.Core.Tests.Processes;

/// <summary>The /proc reader, on real processes: a child started here, then killed and reaped.</summary>
public sealed class ProcFsTests
{
    /// <summary>sleep run through a link of that name: the kernel names a process (comm) after the file it executes.</summary>
    private static Process SleepNamed(string folder, string name)
    {
        var link = Path.Combine(folder, name);
        File.CreateSymbolicLink(link, "/bin/sleep");
        return Process.Start(new ProcessStartInfo(link, ["30"]) { UseShellExecute = false })!;
    }

    [Fact]
    public void A_child_reads_as_live_with_this_process_as_parent_its_arguments_and_a_start_time()
    {
        using var child = Process.Start(new ProcessStartInfo("sleep", ["30", "1"]) { UseShellExecute = false })!;
        try
        {
            var stat = WaitForCommand(child.Id, "sleep");

            Assert.True(stat.IsLive);
            Assert.Equal(Environment.ProcessId, stat.ParentPid);
            Assert.True(stat.StartTime >= ProcFs.Stat(Environment.ProcessId)!.StartTime);
            Assert.Equal(["sleep", "30", "1"], ProcFs.Arguments(child.Id));
            Assert.Contains(child.Id, ProcFs.Pids());
        }
        finally
        {
            child.Kill();
        }
    }

    [Fact]
    public void A_command_name_with_spaces_and_parentheses_is_read_whole()
    {
        var folder = Directory.CreateTempSubdirectory("procfs-").FullName;
        using var child = SleepNamed(folder, "my (odd) name");
        try
        {
            var stat = WaitForCommand(child.Id, "my (odd) name");

            Assert.True(stat.IsLive, $"state {stat.State}");
            Assert.Equal(Environment.ProcessId, stat.ParentPid);
            Assert.Equal([Path.Combine(folder, "my (odd) name"), "30"], ProcFs.Arguments(child.Id));
        }
        finally
        {
            child.Kill();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_killed_and_reaped_process_is_gone_and_killing_it_again_says_so()
    {
        using var child = Process.Start(new ProcessStartInfo("sleep", ["30"]) { UseShellExecute = false })!;
        WaitForCommand(child.Id, "sleep");

        Assert.True(ProcFs.Kill(child.Id, TimeSpan.FromSeconds(5)));
        child.WaitForExit();

        Assert.Null(ProcFs.Stat(child.Id));
        Assert.Empty(ProcFs.Arguments(child.Id));
        Assert.False(ProcFs.Kill(child.Id));
    }

    /// <summary>
    /// The child's stat once its exec is done: right after fork it still has this process's name, and
    /// the kernel renames it before it sets up the new program's arguments, so for a moment the new
    /// name comes with an empty command line.
    /// </summary>
    private static ProcessStat WaitForCommand(int pid, string command)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        var stat = ProcFs.Stat(pid);
        while ((stat?.Command != command || ProcFs.Arguments(pid).Count == 0) && DateTime.UtcNow < until)
        {
            Thread.Sleep(10);
            stat = ProcFs.Stat(pid);
        }
        Assert.Equal(command, stat?.Command);
        return stat!;
    }
}
