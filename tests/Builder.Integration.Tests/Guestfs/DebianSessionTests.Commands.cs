using System.Text;
using Builder.Execution;
using Builder.Guests;

namespace Builder.IntegrationTests.Guestfs;

public sealed partial class DebianSessionTests
{
    [Fact]
    public async Task Output_lines_arrive_in_order_while_the_script_runs_and_nothing_else_does()
    {
        var traceBefore = session.Events.OfType<TraceLine>().Count;

        var run = await RunAsync(new GuestCommand("echo first line\nsleep 2\necho 'second line' >&2\nprintf 'last, no newline'\n"));

        Assert.Equal(0, run.Result.ExitCode);
        Assert.Equal(["first line", "second line", "last, no newline"], run.Lines);
        Assert.True(run.Timed[0].At <= run.Returned - TimeSpan.FromSeconds(1.5),
            $"the first line came at {run.Timed[0].At.TotalSeconds:0.00} s, the command returned at {run.Returned.TotalSeconds:0.00} s");
        Assert.Equal(["first line", "second line", "last, no newline"], run.Result.Tail);
        // The session is traced (the appliance is verbose): its chatter went to the trace, the output did not.
        var trace = session.Events.OfType<TraceLine>().Skip(traceBefore).ToList();
        Assert.Contains(trace, t => t.Source == "appliance");
        Assert.DoesNotContain(trace, t => t.Text.Contains("first line", StringComparison.Ordinal) && t.Source == "appliance");
        Assert.DoesNotContain(trace, t => t.Text.Contains("builder-output-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Long_output_arrives_complete_and_in_order()
    {
        var guest = await GuestAsync();

        var run = await DebianGuestSupport.RunAsync(guest, new GuestCommand("seq 1 20000\n"));

        output.WriteLine($"20000 lines (109 kB) in {run.Returned.TotalSeconds:0.00} s");
        Assert.Equal(Enumerable.Range(1, 20000).Select(i => $"{i}"), run.Lines);
        Assert.Equal(Enumerable.Range(19981, 20).Select(i => $"{i}"), run.Result.Tail);
    }

    [Fact]
    public async Task A_non_zero_exit_code_is_returned_with_the_last_twenty_lines()
    {
        var run = await RunAsync(new GuestCommand("for i in $(seq 1 25); do echo \"line $i\"; done\nexit 3\n"));

        Assert.Equal(3, run.Result.ExitCode);
        Assert.False(run.Result.Succeeded);
        Assert.Equal(Enumerable.Range(6, 20).Select(i => $"line {i}"), run.Result.Tail);
        Assert.Equal(25, run.Lines.Count);
    }

    [Fact]
    public async Task A_shebang_line_chooses_the_interpreter()
    {
        var run = await RunAsync(new GuestCommand("#!/bin/bash\nif [[ -n \"$BASH_VERSION\" ]]; then echo \"bash $BASH_VERSION\"; fi\n"));

        Assert.Equal(0, run.Result.ExitCode);
        Assert.StartsWith("bash 5.", Assert.Single(run.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_shebang_a_failing_command_stops_the_script()
    {
        var run = await RunAsync(new GuestCommand("echo before\nfalse\necho after\n"));

        Assert.Equal(1, run.Result.ExitCode);
        Assert.Equal(["before"], run.Lines);
    }

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
        var environment = new Dictionary<string, string> { ["ODD_VALUE"] = value, ["SECOND"] = "2" };

        var run = await RunAsync(new GuestCommand("printf '%s' \"$ODD_VALUE\" > /root/odd-value\necho \"$SECOND\"\n", environment));

        Assert.Equal(["2"], run.Lines);
        var guest = await GuestAsync();
        Assert.Equal(value, Encoding.UTF8.GetString(await guest.ReadFileAsync("/root/odd-value")));
        Assert.Empty(await guest.GlobAsync("/run/builder/*"));
    }

    [Fact]
    public async Task A_script_runs_as_root_with_proc_and_dev_and_a_path()
    {
        var run = await RunAsync(new GuestCommand("id -u\ntest -r /proc/self/status && echo proc\ntest -c /dev/null && echo dev\ncommand -v apt-get\n"));

        Assert.Equal(["0", "proc", "dev", "/usr/bin/apt-get"], run.Lines);
    }
}
