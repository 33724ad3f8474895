using System.Text;
using Builder.Execution;
using Builder.Guests;
using Builder.Host;
using Builder.IntegrationTests.Guestfs;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Host;

/// <summary>Every IGuest file operation on the host backend, on the tiny template, with the appliance's assertions; effects read back.</summary>
[Collection(HostBackendCollection.Name)]
public sealed partial class HostGuestTests(TinyHostSessionFixture session, ITestOutputHelper output) : IClassFixture<TinyHostSessionFixture>
{
    private IGuest Guest => session.Guest;

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static int Octal(string mode) => Convert.ToInt32(mode, 8);

    [Fact]
    public void Inspection_finds_debian_12_with_apt_on_x86_64_like_the_appliance()
    {
        output.WriteLine($"export + inspect + mount: {session.OpenElapsed.TotalMilliseconds:0} ms");

        Assert.Equal(new GuestInfo("linux", "debian", 12, 0, "apt", "/dev/sda1", "x86_64"), Guest.Info);
    }

    [Fact]
    public void Opening_reports_export_and_mount_phases()
    {
        var events = session.Events.All;

        Assert.Contains(new PhaseStarted("export", "Exporting disk (qcow2) with qemu-storage-daemon"), events.OfType<PhaseStarted>());
        Assert.Contains(new PhaseStarted("mount", "Inspecting guest"), events.OfType<PhaseStarted>());
        Assert.Equal(["export", "mount"], events.OfType<PhaseCompleted>().Select(e => e.Phase));
        foreach (var phase in events.OfType<PhaseCompleted>()) output.WriteLine($"{phase.Phase}: {phase.Elapsed.TotalMilliseconds:0} ms");
        Assert.Empty(events.OfType<Notice>());
    }

    [Fact]
    public async Task Writes_a_new_file_and_reads_it_back()
    {
        byte[] content = [0, 1, 2, 0xff, .. Bytes("binary and text\n")];

        await Guest.WriteFileAsync("/srv/new.bin", content);

        Assert.Equal(content, await Guest.ReadFileAsync("/srv/new.bin"));
        Assert.Equal(new GuestStat(GuestFileType.Regular, Octal("644"), 0, 0, content.Length), await Guest.LstatAsync("/srv/new.bin"));
    }

    [Fact]
    public async Task Writes_and_appends_empty_content_as_empty_files()
    {
        await Guest.WriteFileAsync("/srv/empty-written", ReadOnlyMemory<byte>.Empty);
        await Guest.AppendFileAsync("/srv/empty-appended", ReadOnlyMemory<byte>.Empty);

        Assert.Equal(0, (await Guest.LstatAsync("/srv/empty-written"))!.Size);
        Assert.Equal(new GuestStat(GuestFileType.Regular, Octal("644"), 0, 0, 0), await Guest.LstatAsync("/srv/empty-appended"));
    }

    [Fact]
    public async Task Rewriting_an_existing_file_keeps_its_mode_and_owner()
    {
        await Guest.WriteFileAsync("/home/alice/notes", Bytes("first\n"));
        await Guest.ChownAsync("/home/alice/notes", 1000, 1000);
        await Guest.ChmodAsync("/home/alice/notes", Octal("600"));
        await Guest.WriteFileAsync("/etc/shadow", Bytes("root:*:19000:0:99999:7:::\n"));
        await Guest.WriteFileAsync("/home/alice/notes", Bytes("second, longer\n"));

        Assert.Equal(Octal("640"), (await Guest.LstatAsync("/etc/shadow"))!.Mode);
        Assert.Equal("root:*:19000:0:99999:7:::\n", Encoding.UTF8.GetString(await Guest.ReadFileAsync("/etc/shadow")));
        Assert.Equal(new GuestStat(GuestFileType.Regular, Octal("600"), 1000, 1000, 15), await Guest.LstatAsync("/home/alice/notes"));
    }

    [Fact]
    public async Task Writes_and_appends_large_content()
    {
        var first = new byte[5 * 1024 * 1024 + 17];
        var second = new byte[3 * 1024 * 1024];
        new Random(42).NextBytes(first);
        new Random(43).NextBytes(second);

        await Guest.WriteFileAsync("/srv/large.bin", first);
        await Guest.AppendFileAsync("/srv/large.bin", second);

        Assert.Equal(first.Concat(second).ToArray(), await Guest.ReadFileAsync("/srv/large.bin"));
    }

    [Fact]
    public async Task Appends_to_an_existing_file_and_creates_a_missing_one()
    {
        await Guest.AppendFileAsync("/etc/hosts", Bytes("10.0.0.5\tdb\n"));
        await Guest.AppendFileAsync("/srv/appended.txt", Bytes("one\n"));
        await Guest.AppendFileAsync("/srv/appended.txt", Bytes("two\n"));

        Assert.EndsWith("ip6-loopback\n10.0.0.5\tdb\n", Encoding.UTF8.GetString(await Guest.ReadFileAsync("/etc/hosts")));
        Assert.Equal("one\ntwo\n", Encoding.UTF8.GetString(await Guest.ReadFileAsync("/srv/appended.txt")));
        Assert.Equal(Octal("644"), (await Guest.LstatAsync("/srv/appended.txt"))!.Mode);
    }

    [Fact]
    public async Task Creates_a_directory_with_its_missing_parents_and_accepts_an_existing_one()
    {
        await Guest.MkdirAsync("/srv/app/data/cache");
        await Guest.MkdirAsync("/srv/app/data");

        var stat = await Guest.LstatAsync("/srv/app/data/cache");

        Assert.Equal(new GuestStat(GuestFileType.Directory, Octal("755"), 0, 0, stat!.Size), stat);
        Assert.Equal(Octal("755"), (await Guest.LstatAsync("/srv/app"))!.Mode);
        var error = await Assert.ThrowsAsync<GuestOperationException>(() => Guest.MkdirAsync("/etc/hostname/sub").AsTask());
        Assert.Equal(("mkdir", "/etc/hostname/sub", "Not a directory"), (error.Operation, error.GuestPath, error.BackendMessage));
    }

    [Fact]
    public async Task Changes_mode_including_setuid_and_sticky_bits()
    {
        await Guest.WriteFileAsync("/srv/tool", Bytes("#!/bin/sh\n"));
        await Guest.MkdirAsync("/srv/shared");

        await Guest.ChmodAsync("/srv/tool", Octal("4750"));
        await Guest.ChmodAsync("/srv/shared", Octal("1777"));

        Assert.Equal(Octal("4750"), (await Guest.LstatAsync("/srv/tool"))!.Mode);
        Assert.Equal(Octal("1777"), (await Guest.LstatAsync("/srv/shared"))!.Mode);
    }

    [Fact]
    public async Task Changes_the_owner_of_a_symlink_itself_not_its_target()
    {
        await Guest.WriteFileAsync("/srv/owned", Bytes("x"));
        await Guest.SymlinkAsync("/srv/owned", "/srv/owned-link");

        await Guest.ChownAsync("/srv/owned-link", 1000, 1000);

        Assert.Equal((1000, 1000), Owner(await Guest.LstatAsync("/srv/owned-link")));
        Assert.Equal((0, 0), Owner(await Guest.LstatAsync("/srv/owned")));
        await Guest.ChownAsync("/srv/owned", 1, 1000);
        Assert.Equal((1, 1000), Owner(await Guest.LstatAsync("/srv/owned")));

        static (int, int) Owner(GuestStat? stat) => (stat!.Uid, stat.Gid);
    }

    [Fact]
    public async Task Uploads_a_host_file_replacing_the_guest_file()
    {
        var hostFile = session.Workspace.File("nginx.conf");
        await File.WriteAllTextAsync(hostFile, "worker_processes 2;\n");
        await Guest.WriteFileAsync("/srv/nginx.conf", Bytes("old and longer content\n"));
        await Guest.ChmodAsync("/srv/nginx.conf", Octal("600"));

        await Guest.UploadAsync(hostFile, "/srv/nginx.conf");
        await Guest.UploadAsync(hostFile, "/srv/fresh.conf");

        Assert.Equal("worker_processes 2;\n", Encoding.UTF8.GetString(await Guest.ReadFileAsync("/srv/nginx.conf")));
        Assert.Equal(Octal("600"), (await Guest.LstatAsync("/srv/nginx.conf"))!.Mode);
        Assert.Equal(new GuestStat(GuestFileType.Regular, Octal("644"), 0, 0, 20), await Guest.LstatAsync("/srv/fresh.conf"));
        var missing = await Assert.ThrowsAsync<GuestOperationException>(() => Guest.UploadAsync(session.Workspace.File("absent"), "/srv/x").AsTask());
        Assert.Equal("upload", missing.Operation);
    }

    [Fact]
    public async Task Lstat_returns_null_when_nothing_is_there()
    {
        Assert.Null(await Guest.LstatAsync("/no/such/path"));
        Assert.Null(await Guest.LstatAsync("/etc/passwd/child"));
        Assert.Equal(GuestFileType.Symlink, (await Guest.LstatAsync("/bin"))!.Type);
        Assert.Equal(GuestFileType.Directory, (await Guest.LstatAsync("/"))!.Type);
        Assert.Equal(GuestFileType.Directory, (await Guest.LstatAsync("/.."))!.Type);
    }

    [Fact]
    public async Task A_failure_names_the_operation_the_path_and_the_system_message()
    {
        var error = await Assert.ThrowsAsync<GuestOperationException>(() => Guest.ReadFileAsync("/no/such/file").AsTask());

        Assert.Equal(("read", "/no/such/file"), (error.Operation, error.GuestPath));
        Assert.Equal("No such file or directory", error.BackendMessage);
        Assert.Equal("read /no/such/file: No such file or directory", error.Message);
        var directory = await Assert.ThrowsAsync<GuestOperationException>(() => Guest.WriteFileAsync("/etc", Bytes("x")).AsTask());
        Assert.Equal("Is a directory", directory.BackendMessage);
    }

    [Fact]
    public async Task Device_nodes_and_fifos_in_the_guest_are_never_opened()
    {
        var root = Path.Combine(((HostGuest)Guest).WorkFolder, "root");
        Tools.Run("mkfifo", Path.Combine(root, "srv", "fifo"));
        Tools.Run("mknod", Path.Combine(root, "srv", "zero"), "c", "1", "5");

        var fifo = await Assert.ThrowsAsync<GuestOperationException>(() => Guest.ReadFileAsync("/srv/fifo").AsTask());
        var device = await Assert.ThrowsAsync<GuestOperationException>(() => Guest.WriteFileAsync("/srv/zero", Bytes("x")).AsTask());

        Assert.StartsWith("not a regular file", fifo.BackendMessage, StringComparison.Ordinal);
        Assert.StartsWith("not a regular file", device.BackendMessage, StringComparison.Ordinal);
        Assert.Equal(GuestFileType.Other, (await Guest.LstatAsync("/srv/fifo"))!.Type);
    }

    [Fact]
    public async Task A_guest_whose_shell_cannot_run_gives_a_clear_error()
    {
        // The tiny template's /usr/bin/sh is the host's dash without its libc: it cannot start.
        var error = await Assert.ThrowsAsync<GuestOperationException>(() => Guest.RunAsync(new GuestCommand("echo never\n"), _ => { }).AsTask());

        Assert.Equal("run", error.Operation);
        Assert.Contains("could not start in the guest", error.BackendMessage, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", error.BackendMessage, StringComparison.Ordinal);
        Assert.Empty(await Guest.GlobAsync("/run/builder/*"));
    }

    [Fact]
    public async Task Concurrent_calls_are_serialized()
    {
        await Guest.MkdirAsync("/srv/parallel");

        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Guest.WriteFileAsync($"/srv/parallel/{i}", Bytes($"{i}\n")).AsTask()));
        var contents = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Guest.ReadFileAsync($"/srv/parallel/{i}").AsTask()));

        Assert.Equal(Enumerable.Range(0, 16).Select(i => $"{i}\n"), contents.Select(c => Encoding.UTF8.GetString(c)));
    }
}
