using Builder.Execution;
using Builder.Guests;
using Builder.Steps;
using Builder.Tests.Support;

namespace Builder.Tests.Steps;

public sealed class AccountStepTests : IDisposable
{
    private readonly RecipeFolder folder = new();

    public void Dispose() => folder.Dispose();

    private async Task<StepRunner> Run(RecordingGuest guest, string steps, Dictionary<string, string>? environment = null)
    {
        var runner = new StepRunner(guest);
        foreach (var (name, value) in environment ?? []) runner.Environment[name] = value;
        await runner.RunAsync(folder.Load("template: base.qcow2\nsteps:\n" + steps));
        return runner;
    }

    private static string ShadowField(RecordingGuest guest, string user) =>
        guest.Text("/etc/shadow").Split('\n').First(l => l.StartsWith(user + ":", StringComparison.Ordinal)).Split(':')[1];

    [Fact]
    public async Task Password_from_env_is_hashed_with_yescrypt_on_debian_12()
    {
        var guest = GuestTrees.Debian();

        await Run(guest, "  - password: { user: root, from-env: PW }\n", new() { ["PW"] = "s3cret" });

        Assert.Equal("$y$fake$6", ShadowField(guest, "root"));
        Assert.Equal("!", ShadowField(guest, "alice"));
        Assert.Equal(0x1A0, guest.Stat("/etc/shadow")!.Mode);
    }

    [Fact]
    public async Task Password_falls_back_to_sha512_on_unknown_guests()
    {
        var guest = new RecordingGuest(GuestInfo.Unknown("/dev/sda1")).WithFile("/etc/shadow", "root:*:1:0:99999:7:::\n");

        await Run(guest, "  - password: { user: root, from-env: PW }\n", new() { ["PW"] = "s3cret" });

        Assert.Equal("$6$fake$6", ShadowField(guest, "root"));
    }

    [Fact]
    public async Task Locked_keeps_the_hash_behind_a_bang_and_disabled_is_a_star()
    {
        var guest = new RecordingGuest().WithFile("/etc/shadow", "root:$6$a$b:1:0:99999:7:::\nbob:$6$c$d:1:0:99999:7:::\n");

        await Run(guest, "  - password: { user: root, locked: true }\n  - password: { user: bob, disabled: true }\n");

        Assert.Equal("!$6$a$b", ShadowField(guest, "root"));
        Assert.Equal("*", ShadowField(guest, "bob"));
    }

    [Fact]
    public async Task Random_password_is_reported_once_or_saved_with_mode_0600()
    {
        var guest = GuestTrees.Debian();

        var runner = await Run(guest, "  - password: { user: root, random: true }\n  - password: { user: alice, random: true, save-to: secrets/alice }\n");

        var generated = Assert.Single(runner.Events.OfType<PasswordGenerated>());
        Assert.Equal("root", generated.User);
        Assert.Equal(20, generated.Password.Length);
        Assert.DoesNotContain(generated.Password, generated.ToString());
        var saved = Path.Combine(folder.Path, "secrets/alice");
        Assert.Equal(21, File.ReadAllText(saved).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(saved));
    }

    [Fact]
    public async Task Password_for_an_unknown_user_fails()
    {
        var error = await Assert.ThrowsAsync<StepFailedException>(() =>
            Run(GuestTrees.Debian(), "  - password: { user: bob, disabled: true }\n"));

        Assert.Equal("the user 'bob' does not exist in the guest's /etc/shadow", error.Message);
    }

    [Fact]
    public async Task Ssh_inject_creates_the_folder_and_file_with_owner_and_modes_once()
    {
        var guest = GuestTrees.Debian();
        const string key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleExampleExampleExampleExampleExample alice";

        await Run(guest, $"  - ssh-inject: {{ user: alice, key: \"{key}\" }}\n  - ssh-inject: {{ user: alice, key: \"{key}\" }}\n");

        Assert.Equal(new GuestStat(GuestFileType.Directory, 0x1C0, 1000, 1000, 0), guest.Stat("/home/alice/.ssh"));
        var file = guest.Stat("/home/alice/.ssh/authorized_keys")!;
        Assert.Equal((0x180, 1000, 1000), (file.Mode, file.Uid, file.Gid));
        Assert.Equal(key + "\n", guest.Text("/home/alice/.ssh/authorized_keys"));
    }
}
