using Builder.Execution;
using Builder.Steps;
using Builder.Tests.Support;

namespace Builder.Tests.Steps;

/// <summary>The text logic of the file steps, against a recording guest (the integration suite checks real guests).</summary>
public sealed class FileStepTests : IDisposable
{
    private readonly RecipeFolder folder = new();

    public void Dispose() => folder.Dispose();

    private async Task<StepRunner> Run(RecordingGuest guest, string steps)
    {
        var runner = new StepRunner(guest);
        await runner.RunAsync(folder.Load("template: base.qcow2\nsteps:\n" + steps));
        return runner;
    }

    [Fact]
    public async Task Append_line_adds_a_missing_final_newline_first()
    {
        var guest = new RecordingGuest().WithFile("/etc/hosts", "127.0.0.1 localhost");

        await Run(guest, "  - append-line: { path: /etc/hosts, line: 10.0.0.5 db }\n");

        Assert.Equal("127.0.0.1 localhost\n10.0.0.5 db\n", guest.Text("/etc/hosts"));
    }

    [Fact]
    public async Task Append_line_keeps_crlf_line_endings()
    {
        var guest = new RecordingGuest().WithFile("/c/boot.ini", "[boot]\r\ntimeout=5\r\n");

        await Run(guest, "  - append-line: { path: /c/boot.ini, line: default=1 }\n");

        Assert.Equal("[boot]\r\ntimeout=5\r\ndefault=1\r\n", guest.Text("/c/boot.ini"));
    }

    [Fact]
    public async Task Append_line_creates_a_missing_file()
    {
        var guest = new RecordingGuest().WithDirectory("/etc");

        await Run(guest, "  - append-line: { path: /etc/new.conf, line: x=1 }\n");

        Assert.Equal("x=1\n", guest.Text("/etc/new.conf"));
    }

    [Fact]
    public async Task Edit_replaces_per_line_with_groups_and_keeps_crlf()
    {
        var guest = new RecordingGuest().WithFile("/etc/app.ini", "port=80\r\nhost=a\r\nport=81\r\n");

        await Run(guest, "  - edit: { path: /etc/app.ini, replace: '^port=(\\d+)$', with: 'port=${1}0' }\n");

        Assert.Equal("port=800\r\nhost=a\r\nport=810\r\n", guest.Text("/etc/app.ini"));
    }

    [Fact]
    public async Task Edit_fails_when_the_pattern_matches_nothing()
    {
        var guest = new RecordingGuest().WithFile("/etc/app.ini", "port=80\n");

        var error = await Assert.ThrowsAsync<StepFailedException>(() =>
            Run(guest, "  - edit: { path: /etc/app.ini, replace: '^host=', with: x }\n"));

        Assert.Equal("the pattern '^host=' matches nothing in /etc/app.ini", error.Message);
        Assert.Equal("port=80\n", guest.Text("/etc/app.ini"));
    }

    [Fact]
    public async Task Edit_fails_on_a_missing_file_unless_optional()
    {
        var guest = new RecordingGuest().WithDirectory("/etc");

        var error = await Assert.ThrowsAsync<StepFailedException>(() =>
            Run(guest, "  - edit: { path: /etc/none, replace: a, with: b }\n"));
        var runner = await Run(guest, "  - edit: { path: /etc/none, replace: a, with: b, optional: true }\n");

        Assert.Equal("/etc/none does not exist in the guest", error.Message);
        Assert.Contains(runner.Events, e => e is Notice n && n.Message.Contains("/etc/none does not exist"));
    }

    [Fact]
    public async Task Write_into_a_missing_folder_fails_with_a_hint()
    {
        var guest = new RecordingGuest();

        var error = await Assert.ThrowsAsync<StepFailedException>(() =>
            Run(guest, "  - write: { path: /opt/app/config, content: x }\n"));

        Assert.Equal("the folder /opt/app does not exist in the guest", error.Message);
        Assert.Equal("add a step before it: - mkdir: /opt/app", error.Hint);
    }

    [Fact]
    public async Task Upload_into_an_existing_folder_keeps_the_file_name()
    {
        folder.Write("files/app.conf", "x=1\n");
        var guest = new RecordingGuest().WithDirectory("/etc/app");

        await Run(guest, "  - upload: { from: files/app.conf, to: /etc/app, mode: \"0600\" }\n");

        Assert.Equal("x=1\n", guest.Text("/etc/app/app.conf"));
        Assert.Equal(0x180, guest.Stat("/etc/app/app.conf")!.Mode);
    }

    [Fact]
    public async Task Delete_removes_every_match_and_notes_an_empty_glob()
    {
        var guest = GuestTrees.Debian();

        var runner = await Run(guest, "  - delete: /var/cache/apt/archives/*.deb\n  - delete: /nothing/*\n");

        Assert.Null(guest.Stat("/var/cache/apt/archives/a.deb"));
        Assert.Null(guest.Stat("/var/cache/apt/archives/b.deb"));
        Assert.NotNull(guest.Stat("/var/cache/apt/archives"));
        Assert.Contains(runner.Events, e => e is Notice n && n.Message == "delete: nothing matches /nothing/*");
    }

    [Fact]
    public async Task Chown_resolves_names_in_the_guests_own_files()
    {
        var guest = GuestTrees.Debian();

        await Run(guest, "  - chown: { path: /srv/app, user: alice, group: www-data }\n  - chown: { path: /etc/motd, user: alice }\n");

        Assert.Equal((1000, 33), (guest.Stat("/srv/app")!.Uid, guest.Stat("/srv/app")!.Gid));
        Assert.Equal((1000, 1000), (guest.Stat("/etc/motd")!.Uid, guest.Stat("/etc/motd")!.Gid));
    }

    [Fact]
    public async Task Chown_names_an_unknown_user()
    {
        var error = await Assert.ThrowsAsync<StepFailedException>(() =>
            Run(GuestTrees.Debian(), "  - chown: { path: /srv/app, user: bob }\n"));

        Assert.Equal("the user 'bob' does not exist in the guest's /etc/passwd", error.Message);
    }
}
