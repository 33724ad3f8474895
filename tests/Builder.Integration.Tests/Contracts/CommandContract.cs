using Builder.Execution;
using Builder.Guests;
using Builder.IntegrationTests.Guestfs;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Contracts;

/// <summary>
/// Commands in a real debian-12 guest, the same assertions for each backend, in one traced session
/// with network that a subclass's fixture opens; effects are read back from the guest.
/// </summary>
public abstract partial class CommandContract(ITestOutputHelper output)
{
    protected ITestOutputHelper Output => output;

    /// <summary>The shared session, opened by the first test that asks.</summary>
    protected abstract Task<IGuest> GuestAsync();

    protected abstract TimeSpan OpenElapsed { get; }

    /// <summary>What the session has emitted so far.</summary>
    private protected abstract RecordingEvents Events { get; }

    /// <summary>The output of a command is delivered to its caller, never traced: <paramref name="traced"/> is the trace while it ran.</summary>
    protected abstract void AssertTheOutputStayedOutOfTheTrace(IReadOnlyList<TraceLine> traced);

    private protected async Task<CommandRun> RunAsync(GuestCommand command)
    {
        var run = await DebianGuestSupport.RunAsync(await GuestAsync(), command);
        output.WriteLine($"exit {run.Result.ExitCode} after {run.Returned.TotalMilliseconds:0} ms (session opened in {OpenElapsed.TotalMilliseconds:0} ms)");
        foreach (var (line, at) in run.Timed.Take(40)) output.WriteLine($"  {at.TotalSeconds,6:0.00} s  {line}");
        return run;
    }

    [Fact]
    public async Task Output_lines_arrive_in_order_while_the_script_runs_and_nothing_else_does()
    {
        await GuestAsync();
        var traceBefore = Events.OfType<TraceLine>().Count;

        var run = await RunAsync(new GuestCommand("echo first line\nsleep 2\necho 'second line' >&2\nprintf 'last, no newline'\n"));

        Assert.Equal(0, run.Result.ExitCode);
        Assert.Equal(["first line", "second line", "last, no newline"], run.Lines);
        Assert.True(run.Timed[0].At <= run.Returned - TimeSpan.FromSeconds(1.5),
            $"the first line came at {run.Timed[0].At.TotalSeconds:0.00} s, the command returned at {run.Returned.TotalSeconds:0.00} s");
        Assert.Equal(["first line", "second line", "last, no newline"], run.Result.Tail);
        AssertTheOutputStayedOutOfTheTrace([.. Events.OfType<TraceLine>().Skip(traceBefore)]);
    }

    [Fact]
    public async Task Long_output_arrives_complete_and_in_order()
    {
        var run = await DebianGuestSupport.RunAsync(await GuestAsync(), new GuestCommand("seq 1 20000\n"));

        output.WriteLine($"20000 lines (109 kB) in {run.Returned.TotalMilliseconds:0} ms");
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
    public async Task An_output_callback_that_throws_fails_the_call_after_the_command_ends()
    {
        var guest = await GuestAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => guest.RunAsync(
            new GuestCommand("echo one\necho two\n"), line => throw new InvalidOperationException($"callback refused {line}")).AsTask());

        Assert.Equal("callback refused one", error.Message);
        Assert.Equal(["ok"], (await RunAsync(new GuestCommand("echo ok\n"))).Lines);
    }
}
