using System.Diagnostics;
using System.Runtime.InteropServices;
using Builder.IntegrationTests.Pipeline;

namespace Builder.IntegrationTests.Reliability;

/// <summary>
/// One `builder build --json` process stopped at a <see cref="KillPoint"/>: its events are read as
/// they come, and the signal is sent from the reader itself when there is no delay, so the process
/// is stopped right after it reported that event.
/// </summary>
internal sealed class KilledBuild : IStoppedBuild
{
    private readonly List<BuildLine> lines = [];
    private readonly TaskCompletionSource triggered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When the signal was sent (a Stopwatch timestamp).</summary>
    private long signalled;

    private KilledBuild(KillPoint point) => Point = point;

    public KillPoint Point { get; }

    /// <summary>The events the build reported before it stopped.</summary>
    public IReadOnlyList<BuildLine> Lines { get { lock (lines) return lines.ToList(); } }

    /// <summary>The event after which the signal was sent (with the delay), or null for a kill during start-up.</summary>
    public BuildLine? At { get; private set; }

    public int ExitCode { get; private set; }

    /// <summary>From the signal to the process's exit.</summary>
    public TimeSpan StopTime { get; private set; }

    public string Error { get; private set; } = "";

    /// <summary>Runs the build until the kill point, signals it and waits for it to exit; fails when the build ended before the kill point.</summary>
    public static async Task<KilledBuild> RunAsync(KillPoint point, string folder, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var build = new KilledBuild(point);
        using var process = new Process { StartInfo = BuilderProcess.StartInfo(folder, environment, arguments) };
        var error = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => build.Read(e.Data, process);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (error) error.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            if (point.Trigger is null) await Task.Delay(point.Delay);
            else
            {
                var exited = process.WaitForExitAsync();
                if (await Task.WhenAny(build.triggered.Task, exited, Task.Delay(TimeSpan.FromMinutes(5))) != build.triggered.Task)
                    throw new InvalidOperationException($"kill point '{point.Name}' was never reached; the build ended with {(process.HasExited ? process.ExitCode : "a timeout")}:\n{error}");
                if (point.Delay > TimeSpan.Zero) await Task.Delay(point.Delay);
            }
            if (point.Delay > TimeSpan.Zero || point.Trigger is null) build.Send(process);
            Assert.False(process.HasExited && process.ExitCode == 0, $"the build finished before kill point '{point.Name}' was hit");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            build.StopTime = Stopwatch.GetElapsedTime(build.signalled);
            process.WaitForExit();
            build.ExitCode = process.ExitCode;
            lock (error) build.Error = error.ToString();
            return build;
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: false);
        }
    }

    private void Read(string? text, Process process)
    {
        if (text is null) return;
        BuildLine? line;
        lock (lines)
        {
            if (triggered.Task.IsCompleted && Point.Delay == TimeSpan.Zero) return;
            line = BuildLine.Parse(text, lines.Count > 0 ? lines[^1].Layer : 0);
            if (line is null) return;
            lines.Add(line);
            if (At is not null || Point.Trigger is null || !Point.Trigger(line)) return;
            At = line;
            if (Point.Delay == TimeSpan.Zero) Send(process);
        }
        triggered.TrySetResult();
    }

    private void Send(Process process)
    {
        signalled = Stopwatch.GetTimestamp();
        if (!process.HasExited) _ = Kill(process.Id, Point.Signal);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
