using System.Text;
using Builder.Execution;
using Builder.Guests;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Guestfs;

/// <summary>Every IGuest operation against a real appliance, effects read back from the guest.</summary>
[Collection(ApplianceCollection.Name)]
public sealed class GuestfsGuestTests(ApplianceSessionFixture session, ITestOutputHelper output) : IClassFixture<ApplianceSessionFixture>
{
    private IGuest Guest => session.Guest;

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Inspection_finds_debian_12_with_apt_on_x86_64()
    {
        output.WriteLine($"probe + launch + inspect: {session.OpenElapsed.TotalSeconds:0.0} s");

        var info = Guest.Info;

        Assert.Equal(new GuestInfo("linux", "debian", 12, 0, "apt", "/dev/sda1", "x86_64"), info);
    }

    [Fact]
    public void Opening_reports_launch_and_inspect_phases_with_the_accelerator()
    {
        var events = session.Events.All;

        var started = events.OfType<PhaseStarted>().ToList();
        Assert.Contains(new PhaseStarted("launch", "Launching appliance (tcg)"), started);
        Assert.Contains(started, e => e.Phase == "inspect");
        var completed = events.OfType<PhaseCompleted>().Select(e => e.Phase).ToList();
        Assert.Contains("launch", completed);
        Assert.Contains("inspect", completed);
        foreach (var phase in events.OfType<PhaseCompleted>()) output.WriteLine($"{phase.Phase}: {phase.Elapsed.TotalSeconds:0.0} s");
        // These hosts have a /dev/kvm that cannot boot a kernel (DESIGN.md §5): the fallback is told once.
        Assert.Single(events.OfType<Notice>(), n => n.Message.Contains("using TCG", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Writes_a_new_file_and_reads_it_back()
    {
        byte[] content = [0, 1, 2, 0xff, .. Bytes("binary and text\n")];

        await Guest.WriteFileAsync("/srv/new.bin", content);

        Assert.Equal(content, await Guest.ReadFileAsync("/srv/new.bin"));
        Assert.Equal(new GuestStat(GuestFileType.Regular, Convert.ToInt32("644", 8), 0, 0, content.Length), await Guest.LstatAsync("/srv/new.bin"));
    }

    [Fact]
    public async Task Writes_and_appends_empty_content_as_empty_files()
    {
        await Guest.WriteFileAsync("/srv/empty-written", ReadOnlyMemory<byte>.Empty);
        await Guest.AppendFileAsync("/srv/empty-appended", ReadOnlyMemory<byte>.Empty);

        Assert.Equal(0, (await Guest.LstatAsync("/srv/empty-written"))!.Size);
        Assert.Equal(0, (await Guest.LstatAsync("/srv/empty-appended"))!.Size);
    }

    [Fact]
    public async Task Rewriting_an_existing_file_keeps_its_mode_and_owner()
    {
        await Guest.WriteFileAsync("/etc/shadow", Bytes("root:*:19000:0:99999:7:::\n"));

        var stat = await Guest.LstatAsync("/etc/shadow");

        Assert.Equal(Convert.ToInt32("640", 8), stat!.Mode);
        Assert.Equal("root:*:19000:0:99999:7:::\n", Encoding.UTF8.GetString(await Guest.ReadFileAsync("/etc/shadow")));
    }

    [Fact]
    public async Task Writes_and_appends_content_larger_than_one_protocol_message()
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
        Assert.Equal(Convert.ToInt32("644", 8), (await Guest.LstatAsync("/srv/appended.txt"))!.Mode);
    }

    [Fact]
    public async Task Creates_a_directory_with_its_missing_parents_and_accepts_an_existing_one()
    {
        await Guest.MkdirAsync("/srv/app/data/cache");
        await Guest.MkdirAsync("/srv/app/data");

        var stat = await Guest.LstatAsync("/srv/app/data/cache");

        Assert.Equal(new GuestStat(GuestFileType.Directory, Convert.ToInt32("755", 8), 0, 0, stat!.Size), stat);
    }

    [Fact]
    public async Task Changes_mode_including_setuid_and_sticky_bits()
    {
        await Guest.WriteFileAsync("/srv/tool", Bytes("#!/bin/sh\n"));
        await Guest.MkdirAsync("/srv/shared");

        await Guest.ChmodAsync("/srv/tool", Convert.ToInt32("4750", 8));
        await Guest.ChmodAsync("/srv/shared", Convert.ToInt32("1777", 8));

        Assert.Equal(Convert.ToInt32("4750", 8), (await Guest.LstatAsync("/srv/tool"))!.Mode);
        Assert.Equal(Convert.ToInt32("1777", 8), (await Guest.LstatAsync("/srv/shared"))!.Mode);
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
    public async Task Symlink_replaces_an_existing_link_or_file()
    {
        await Guest.SymlinkAsync("/usr/share/zoneinfo/Europe/London", "/etc/localtime");
        await Guest.WriteFileAsync("/srv/was-a-file", Bytes("x"));
        await Guest.SymlinkAsync("/etc/hostname", "/srv/was-a-file");

        Assert.Equal(GuestFileType.Symlink, (await Guest.LstatAsync("/etc/localtime"))!.Type);
        Assert.Equal("TZif2 placeholder for Europe/London\n", Encoding.UTF8.GetString(await Guest.ReadFileAsync("/etc/localtime")));
        Assert.Equal(GuestFileType.Symlink, (await Guest.LstatAsync("/srv/was-a-file"))!.Type);
        Assert.Equal("tiny\n", Encoding.UTF8.GetString(await Guest.ReadFileAsync("/srv/was-a-file")));
        Assert.Equal("/usr/share/zoneinfo/Europe/London", await Guest.ReadLinkAsync("/etc/localtime"));
    }

    [Fact]
    public async Task Reads_a_relative_link_target_as_stored()
    {
        await Guest.SymlinkAsync("../etc/hostname", "/srv/relative-link");

        Assert.Equal("../etc/hostname", await Guest.ReadLinkAsync("/srv/relative-link"));
        Assert.Equal("tiny\n", Encoding.UTF8.GetString(await Guest.ReadFileAsync("/srv/relative-link")));
    }

    [Fact]
    public async Task Symlink_over_a_link_to_a_directory_replaces_the_link_instead_of_writing_into_the_directory()
    {
        await Guest.MkdirAsync("/srv/linked-dir");
        await Guest.SymlinkAsync("/srv/linked-dir", "/srv/dir-link");

        await Guest.SymlinkAsync("/etc", "/srv/dir-link");

        Assert.Null(await Guest.LstatAsync("/srv/linked-dir/etc"));
        Assert.Equal("tiny\n", Encoding.UTF8.GetString(await Guest.ReadFileAsync("/srv/dir-link/hostname")));
    }

    [Fact]
    public async Task Symlink_refuses_to_replace_a_directory()
    {
        await Guest.MkdirAsync("/srv/real-dir");

        var error = await Assert.ThrowsAsync<GuestOperationException>(() => Guest.SymlinkAsync("/etc", "/srv/real-dir").AsTask());

        Assert.Equal(("symlink", "/srv/real-dir"), (error.Operation, error.GuestPath));
        Assert.Equal(GuestFileType.Directory, (await Guest.LstatAsync("/srv/real-dir"))!.Type);
    }

    [Fact]
    public async Task Writes_through_absolute_symlink_inside_the_guest()
    {
        await Guest.SymlinkAsync("/srv/real", "/etc/abs");
        await Guest.MkdirAsync("/srv/real-parent");
        await Guest.SymlinkAsync("/srv/real-parent", "/etc/abs-dir");

        await Guest.WriteFileAsync("/etc/abs", Bytes("through the link\n"));
        await Guest.WriteFileAsync("/etc/abs-dir/child", Bytes("through the parent\n"));

        Assert.Equal(GuestFileType.Symlink, (await Guest.LstatAsync("/etc/abs"))!.Type);
        Assert.Equal(GuestFileType.Regular, (await Guest.LstatAsync("/srv/real"))!.Type);
        Assert.Equal("through the link\n", Encoding.UTF8.GetString(await Guest.ReadFileAsync("/srv/real")));
        Assert.Equal("through the parent\n", Encoding.UTF8.GetString(await Guest.ReadFileAsync("/srv/real-parent/child")));
        Assert.False(File.Exists("/srv/real"), "the link must resolve inside the guest, never on the host");
    }

    [Fact]
    public async Task Expands_a_glob_in_sorted_order_and_an_unmatched_one_to_nothing()
    {
        await Guest.MkdirAsync("/srv/archives/partial.deb");
        foreach (var name in new[] { "b.deb", "a.deb", "c.deb", "notes.txt" })
            await Guest.WriteFileAsync($"/srv/archives/{name}", Bytes(name));

        var matches = await Guest.GlobAsync("/srv/archives/*.deb");

        Assert.Equal(["/srv/archives/a.deb", "/srv/archives/b.deb", "/srv/archives/c.deb", "/srv/archives/partial.deb"], matches);
        Assert.Empty(await Guest.GlobAsync("/srv/archives/*.rpm"));
    }

    [Fact]
    public async Task Deletes_files_and_trees_and_accepts_a_missing_path()
    {
        await Guest.MkdirAsync("/srv/tree/a/b");
        await Guest.WriteFileAsync("/srv/tree/a/b/file", Bytes("x"));
        await Guest.WriteFileAsync("/srv/lone", Bytes("x"));

        await Guest.DeleteAsync("/srv/tree");
        await Guest.DeleteAsync("/srv/lone");
        await Guest.DeleteAsync("/srv/never-existed");

        Assert.Null(await Guest.LstatAsync("/srv/tree"));
        Assert.Null(await Guest.LstatAsync("/srv/lone"));
    }

    [Fact]
    public async Task Uploads_a_host_file_replacing_the_guest_file()
    {
        var hostFile = session.Workspace.File("nginx.conf");
        await File.WriteAllTextAsync(hostFile, "worker_processes 2;\n");
        await Guest.WriteFileAsync("/srv/nginx.conf", Bytes("old and longer content\n"));

        await Guest.UploadAsync(hostFile, "/srv/nginx.conf");

        Assert.Equal("worker_processes 2;\n", Encoding.UTF8.GetString(await Guest.ReadFileAsync("/srv/nginx.conf")));
        var missing = await Assert.ThrowsAsync<GuestOperationException>(
            () => Guest.UploadAsync(session.Workspace.File("absent"), "/srv/x").AsTask());
        Assert.Equal("upload", missing.Operation);
    }

    [Fact]
    public async Task Lstat_returns_null_when_nothing_is_there()
    {
        Assert.Null(await Guest.LstatAsync("/no/such/path"));
        Assert.Null(await Guest.LstatAsync("/etc/passwd/child"));
        Assert.Equal(GuestFileType.Symlink, (await Guest.LstatAsync("/bin"))!.Type);
    }

    [Fact]
    public async Task A_failure_names_the_operation_the_path_and_the_libguestfs_message()
    {
        var error = await Assert.ThrowsAsync<GuestOperationException>(() => Guest.ReadFileAsync("/no/such/file").AsTask());

        Assert.Equal(("read", "/no/such/file"), (error.Operation, error.GuestPath));
        Assert.Equal("No such file or directory", error.BackendMessage);
        Assert.Equal("read /no/such/file: No such file or directory", error.Message);
    }

    [Fact]
    public async Task Concurrent_calls_are_serialized_on_the_handle()
    {
        await Guest.MkdirAsync("/srv/parallel");

        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Guest.WriteFileAsync($"/srv/parallel/{i}", Bytes($"{i}\n")).AsTask()));
        var contents = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Guest.ReadFileAsync($"/srv/parallel/{i}").AsTask()));

        Assert.Equal(Enumerable.Range(0, 16).Select(i => $"{i}\n"), contents.Select(c => Encoding.UTF8.GetString(c)));
    }
}
