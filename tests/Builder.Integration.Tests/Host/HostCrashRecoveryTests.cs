using System.Diagnostics;
using System.Security.Cryptography;
using Builder.Execution;
using Builder.Guests;
using Builder.Host.Sessions;
using Builder.IntegrationTests.Guestfs;
using Builder.IntegrationTests.Pipeline;
using Builder.IntegrationTests.Templates;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Host;

/// <summary>What a killed build leaves on the host is found from its session file and cleaned, and nothing else is touched.</summary>
[Collection(DebianTemplateCollection.Name)]
public sealed class HostCrashRecoveryTests(DebianTemplate debian, ITestOutputHelper output) : IDisposable
{
    private readonly TestWorkspace _workspace = TestWorkspace.Create("host-crash");

    private string Store => _workspace.File("store");

    /// <summary>Whatever a failed test left is cleaned before the workspace goes: deleting a folder with a guest mounted in it would reach into the guest.</summary>
    public void Dispose()
    {
        try { HostTools.Backend(Store).CleanStaleAsync(CancellationToken.None).GetAwaiter().GetResult(); }
        catch (AggregateException e) { output.WriteLine(e.ToString()); }
        _workspace.Dispose();
    }

    [Fact]
    public async Task A_build_killed_during_a_command_leaves_resources_that_are_found_and_cleaned()
    {
        var marker = RandomNumberGenerator.GetInt32(100_000, 999_999);
        _workspace.File("out");
        await File.WriteAllTextAsync(_workspace.File("recipe.yaml"), $"""
            template: {debian.Template.ImagePath}
            output: {"{"} path: out/killed.qcow2 {"}"}
            steps:
              - write: {"{"} path: /etc/motd, content: "never published\n" {"}"}
              - run: echo started; exec sleep {marker}
            """);
        using var build = BuilderProcess.Start(_workspace.Path, new Dictionary<string, string> { ["BUILDER_STORE"] = Store },
            "build", "recipe.yaml", "--backend", "host", "--json");
        await build.WaitForLineAsync(line => line.Contains("\"line\":\"started\"", StringComparison.Ordinal), TimeSpan.FromMinutes(2));
        Assert.NotEmpty(HostTools.ProcessesWith($"sleep {marker}"));

        build.Signal(9);
        await build.WaitAsync(TimeSpan.FromSeconds(30));
        var backend = HostTools.Backend(Store);
        var stale = backend.FindStale();
        foreach (var line in stale) output.WriteLine(line);

        Assert.Contains(stale, s => s.StartsWith("command process", StringComparison.Ordinal));
        Assert.Contains(stale, s => s.StartsWith("qemu-storage-daemon (pid", StringComparison.Ordinal));
        Assert.Contains(stale, s => s.StartsWith("loop device /dev/loop", StringComparison.Ordinal));
        Assert.Contains(stale, s => s.StartsWith("mount ", StringComparison.Ordinal) && s.Contains("/root/run/builder (", StringComparison.Ordinal));
        Assert.Contains(stale, s => s.StartsWith("mount ", StringComparison.Ordinal) && s.Contains("/root (", StringComparison.Ordinal));
        Assert.Contains(stale, s => s.StartsWith("work folder", StringComparison.Ordinal));
        Assert.NotEmpty(HostTools.LeftBehind(Store));

        var stopwatch = Stopwatch.StartNew();
        var cleaned = await backend.CleanStaleAsync(CancellationToken.None);
        output.WriteLine($"cleaned {cleaned.Count} resources in {stopwatch.Elapsed.TotalMilliseconds:0} ms");

        Assert.Equal(stale.Count, cleaned.Count);
        Assert.Empty(backend.FindStale());
        Assert.Empty(HostTools.LeftBehind(Store));
        Assert.Empty(HostTools.ProcessesWith($"sleep {marker}"));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(Store, "host-sessions"), "*.json"));
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(Store, "host-sessions")));
        Assert.Equal(debian.Template.Digest, "sha256:" + Tools.Sha256(debian.Template.ImagePath));
    }

    [Fact]
    public async Task Opening_a_session_cleans_what_a_dead_session_left_and_says_so()
    {
        var (folder, _, mount) = await DeadSessionAsync("opening");
        var events = new RecordingEvents();

        var (guest, _) = await HostTools.OpenAsync(HostTools.Backend(Store), HostTools.DebianOverlay(debian, _workspace), events);
        await guest.DisposeAsync();

        var notice = Assert.Single(events.OfType<Notice>());
        output.WriteLine(notice.Message);
        Assert.StartsWith("cleaned what killed builds left on this host: ", notice.Message, StringComparison.Ordinal);
        Assert.Contains($"mount {mount}", notice.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
        Assert.Empty(HostTools.LeftBehind(Store));
    }

    [Fact]
    public async Task Only_recorded_resources_of_dead_owners_are_cleaned_and_a_reused_pid_is_not_mistaken_for_the_owner()
    {
        var (folder, loop, mount) = await DeadSessionAsync("reused-pid");
        // A live session (this very process, with its real start time) is not stale, and its resources stay.
        var liveFolder = Directory.CreateDirectory(Path.Combine(Store, "host-sessions", "live")).FullName;
        SessionJournal.Write(Path.Combine(Store, "host-sessions", "live.json"), new SessionRecord("live", Environment.ProcessId,
            ProcessIdentity.OwnStartTime(), [new SessionResource("f", ResourceKind.Folder, liveFolder)]));
        // Unrecorded resources that look like ours: a loop device on another file, a mount beside the dead session's.
        var unrecordedFile = _workspace.File("unrecorded.img");
        await using (var stream = File.Create(unrecordedFile)) stream.SetLength(1 << 20);
        var unrecordedLoop = Tools.Run("losetup", "--find", "--show", unrecordedFile).Trim();
        var unrecordedMount = Directory.CreateDirectory(Path.Combine(Store, "host-sessions", "unrecorded")).FullName;
        Tools.Run("mount", "-t", "tmpfs", "unrecorded", unrecordedMount);
        try
        {
            var backend = HostTools.Backend(Store);
            var stale = backend.FindStale();
            foreach (var line in stale) output.WriteLine(line);

            Assert.Equal(4, stale.Count);
            Assert.Contains(stale, s => s.StartsWith($"mount {mount}", StringComparison.Ordinal));
            Assert.Contains(stale, s => s.StartsWith($"loop device {loop}", StringComparison.Ordinal));
            Assert.Contains(stale, s => s.StartsWith($"work folder {folder}", StringComparison.Ordinal));
            Assert.Contains(stale, s => s.StartsWith("command process", StringComparison.Ordinal));

            var cleaned = await backend.CleanStaleAsync(CancellationToken.None);

            Assert.Equal(4, cleaned.Count);
            Assert.Empty(backend.FindStale());
            Assert.False(Directory.Exists(folder));
            Assert.Empty(HostTools.LoopsOn(Path.Combine(folder, "disk")));
            Assert.True(Directory.Exists(liveFolder));
            Assert.True(File.Exists(Path.Combine(Store, "host-sessions", "live.json")));
            Assert.Equal([unrecordedLoop], HostTools.LoopsOn(unrecordedFile));
            Assert.Contains($"mount {unrecordedMount}", HostTools.LeftBehind(Store));
        }
        finally
        {
            Tools.Run("umount", unrecordedMount);
            Tools.Run("losetup", "--detach", unrecordedLoop);
        }
    }

    [Fact]
    public async Task A_loop_whose_backing_filesystem_has_gone_is_found_by_its_device_and_detached()
    {
        // As when qemu-storage-daemon is killed: its FUSE export goes, and the kernel names the loop's backing file
        // relative to the vanished filesystem ("/disk"), no longer by the path the session recorded.
        var sessions = Directory.CreateDirectory(Path.Combine(Store, "host-sessions")).FullName;
        var folder = Directory.CreateDirectory(Path.Combine(sessions, "gone")).FullName;
        var export = Directory.CreateDirectory(Path.Combine(folder, "export")).FullName;
        Tools.Run("mount", "-t", "tmpfs", "gone", export);
        var disk = Path.Combine(export, "disk");
        await using (var stream = File.Create(disk)) stream.SetLength(4 << 20);
        var loop = Tools.Run("losetup", "--find", "--show", "--offset", "1048576", disk).Trim();
        var unrelated = _workspace.File("unrelated.img");
        await using (var stream = File.Create(unrelated)) stream.SetLength(4 << 20);
        var unrelatedLoop = Tools.Run("losetup", "--find", "--show", "--offset", "1048576", unrelated).Trim();
        try
        {
            Tools.Run("umount", "-l", export);
            SessionJournal.Write(Path.Combine(sessions, "gone.json"), new SessionRecord("gone", Environment.ProcessId, ProcessIdentity.OwnStartTime() + 1,
            [
                new SessionResource("1", ResourceKind.Folder, folder),
                new SessionResource("2", ResourceKind.Loop, disk, Offset: 1048576, Device: loop),
            ]));
            var backend = HostTools.Backend(Store);

            Assert.Contains(backend.FindStale(), s => s.StartsWith($"loop device {loop}", StringComparison.Ordinal));
            await backend.CleanStaleAsync(CancellationToken.None);

            Assert.DoesNotContain(HostState.LoopDevices(), d => d.Device == loop);
            Assert.Equal([unrelatedLoop], HostTools.LoopsOn(unrelated));
            Assert.Empty(backend.FindStale());
        }
        finally
        {
            if (HostState.LoopDevices().Any(d => d.Device == loop)) Tools.Run("losetup", "--detach", loop);
            Tools.Run("losetup", "--detach", unrelatedLoop);
        }
    }

    /// <summary>
    /// A session file as the backend writes it, for resources made by hand: its owner is this process's pid with another
    /// start time (the pid was reused); it holds a work folder, a loop device on a file in it, a tmpfs on a folder in it,
    /// and a process (a sleep in a session of its own).
    /// </summary>
    private async Task<(string Folder, string Loop, string Mount)> DeadSessionAsync(string name)
    {
        var sessions = Directory.CreateDirectory(Path.Combine(Store, "host-sessions")).FullName;
        var folder = Directory.CreateDirectory(Path.Combine(sessions, name)).FullName;
        var disk = Path.Combine(folder, "disk");
        await using (var stream = File.Create(disk)) stream.SetLength(4 << 20);
        var loop = Tools.Run("losetup", "--find", "--show", "--offset", "1048576", disk).Trim();
        var mount = Directory.CreateDirectory(Path.Combine(folder, "root")).FullName;
        Tools.Run("mount", "-t", "tmpfs", "dead", mount);
        using var sleeper = Process.Start(new ProcessStartInfo("setsid", ["sleep", "600"]) { UseShellExecute = false })!;
        SessionJournal.Write(Path.Combine(sessions, name + ".json"), new SessionRecord(name, Environment.ProcessId, ProcessIdentity.OwnStartTime() + 1,
        [
            new SessionResource("1", ResourceKind.Folder, folder),
            new SessionResource("2", ResourceKind.Loop, disk, Offset: 1048576, Device: loop),
            new SessionResource("3", ResourceKind.Mount, mount),
            new SessionResource("4", ResourceKind.Process, "unshare", Pid: sleeper.Id, StartTime: ProcessIdentity.StartTime(sleeper.Id)),
        ]));
        return (folder, loop, mount);
    }
}
