using Builder.Execution;

namespace Builder.IntegrationTests.Reliability;

/// <summary>
/// A build killed outright leaves its work area (the overlay, the partial image) beside the output;
/// the next build of the same output removes it, and leaves alone the work area of a build still running.
/// </summary>
public sealed class AbandonedWorkAreaTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("builder-work-areas-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void The_next_build_removes_work_areas_of_dead_builds_and_keeps_those_of_running_ones()
    {
        var output = Path.Combine(folder, "web.qcow2");
        var dead = Path.Combine(folder, ".web.qcow2.builder-work-0000dead");
        Directory.CreateDirectory(dead);
        File.WriteAllText(Path.Combine(dead, "owner.lock"), "");
        File.WriteAllText(Path.Combine(dead, "output.partial"), "half an image");
        var oldWithoutLock = Path.Combine(folder, ".web.qcow2.builder-work-00000old");
        Directory.CreateDirectory(oldWithoutLock);
        Directory.SetLastWriteTimeUtc(oldWithoutLock, DateTime.UtcNow.AddHours(-1));
        var beingMade = Path.Combine(folder, ".web.qcow2.builder-work-0000new");
        Directory.CreateDirectory(beingMade);
        var otherOutput = Path.Combine(folder, ".db.qcow2.builder-work-0000dead");
        Directory.CreateDirectory(otherOutput);
        File.WriteAllText(Path.Combine(otherOutput, "owner.lock"), "");
        using var running = WorkArea.CreateBeside(output);

        using (var next = WorkArea.CreateBeside(output))
        {
            Assert.False(Directory.Exists(dead));
            Assert.False(Directory.Exists(oldWithoutLock));
            Assert.True(Directory.Exists(beingMade), "a work area without its lock yet is being made");
            Assert.True(Directory.Exists(running.Path), "a running build's work area is kept");
            Assert.True(Directory.Exists(otherOutput), "another output's work areas are that output's builds' business");
            Assert.True(Directory.Exists(next.Path));
        }
        Assert.DoesNotContain(running.Path, WorkArea.RemoveAbandonedBeside(output));
        Assert.True(Directory.Exists(running.Path));
    }

    [Fact]
    public void A_qemu_img_still_writing_into_a_dead_builds_work_area_is_stopped_and_one_of_a_running_build_is_not()
    {
        var output = Path.Combine(folder, "web.qcow2");
        using var running = WorkArea.CreateBeside(output);
        File.WriteAllText(running.PendingOutput, "an image being written");
        var dead = Path.Combine(folder, ".web.qcow2.builder-work-0000dead");
        Directory.CreateDirectory(dead);
        File.WriteAllText(Path.Combine(dead, "owner.lock"), "");
        File.WriteAllText(Path.Combine(dead, "output.partial"), "half an image");
        // Stand-ins for a convert: a program named qemu-img (tail -f, which runs until killed, printing nothing) naming each work area's file.
        var program = Path.Combine(folder, "qemu-img");
        File.Copy("/usr/bin/tail", program);
        File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        using var orphan = System.Diagnostics.Process.Start(program, ["-n", "0", "-f", Path.Combine(dead, "output.partial")]);
        using var live = System.Diagnostics.Process.Start(program, ["-n", "0", "-f", running.PendingOutput]);
        try
        {
            Assert.Equal([dead], OrphanedProcesses.Find([]).Where(o => o.Pid == orphan.Id || o.Pid == live.Id).Select(o => o.Folder));

            using (WorkArea.CreateBeside(output))
            {
                Assert.True(orphan.WaitForExit(TimeSpan.FromSeconds(5)), "the dead build's qemu-img still runs");
                Assert.False(Directory.Exists(dead));
                Assert.False(live.HasExited, "the running build's qemu-img was stopped");
            }
        }
        finally
        {
            foreach (var process in new[] { orphan, live }.Where(p => !p.HasExited)) process.Kill();
        }
    }
}
