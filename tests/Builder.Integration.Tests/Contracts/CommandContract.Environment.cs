using System.Text;
using Builder.Guests;

namespace Builder.IntegrationTests.Contracts;

/// <summary>What a script starts with: its folder, its variables, its user and its filesystems.</summary>
public abstract partial class CommandContract
{
    [Fact]
    public async Task The_script_starts_in_the_working_directory()
    {
        var run = await RunAsync(new GuestCommand("pwd\n", WorkingDirectory: "/usr/share/doc"));

        Assert.Equal(["/usr/share/doc"], run.Lines);
    }

    [Fact]
    public async Task A_missing_working_directory_is_an_error()
    {
        var error = await Assert.ThrowsAsync<GuestOperationException>(
            () => RunAsync(new GuestCommand("echo never\n", WorkingDirectory: "/no/such/folder")));

        Assert.Equal("/no/such/folder", error.GuestPath);
    }

    [Fact]
    public async Task Environment_values_reach_the_script_exactly_and_nothing_stays_in_the_staging_folder()
    {
        const string value = "it's \"quoted\" $HOME `id` \\ back\nsecond line ü";
        var environment = new Dictionary<string, string> { ["ODD_VALUE"] = value, ["SECOND"] = "2", ["PATH"] = "/usr/bin:/bin" };

        var run = await RunAsync(new GuestCommand(
            "printf '%s' \"$ODD_VALUE\" > /root/odd-value\necho \"$SECOND $PATH\"\nenv | grep -c '^BUILDER_ENV_' || true\n", environment));

        Assert.Equal(["2 /usr/bin:/bin", "0"], run.Lines);
        // Checked before the value is read back below: a traced session traces what a read returns.
        Assert.DoesNotContain(Events.All, e => e.ToString().Contains("second line", StringComparison.Ordinal));
        var guest = await GuestAsync();
        Assert.Equal(value, Encoding.UTF8.GetString(await guest.ReadFileAsync("/root/odd-value")));
        Assert.Empty(await guest.GlobAsync("/run/builder/*"));
    }

    [Fact]
    public async Task An_invalid_variable_name_is_refused_before_anything_runs()
    {
        var guest = await GuestAsync();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            guest.RunAsync(new GuestCommand("echo never\n", new Dictionary<string, string> { ["NOT-A-NAME"] = "x" }), _ => { }).AsTask());
    }

    [Fact]
    public async Task A_script_runs_as_root_with_proc_sys_dev_and_a_path()
    {
        var run = await RunAsync(new GuestCommand(
            "id -u\ntest -r /proc/self/status && echo proc\ntest -c /dev/null && test -c /dev/urandom && echo dev\n" +
            "test -d /sys/class && echo sys\ncommand -v apt-get\n"));

        Assert.Equal(0, run.Result.ExitCode);
        Assert.Equal(["0", "proc", "dev", "sys", "/usr/bin/apt-get"], run.Lines);
    }
}
