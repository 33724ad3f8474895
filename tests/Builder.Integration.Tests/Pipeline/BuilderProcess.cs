using System.Diagnostics;
using System.Text;

namespace Builder.IntegrationTests.Pipeline;

/// <summary>The real `builder` command, run as a separate process, as a user or CI would run it.</summary>
internal sealed class BuilderProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly StringBuilder error = new();
    private readonly List<string> outputLines = [];

    private BuilderProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output)
            {
                output.AppendLine(e.Data);
                outputLines.Add(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (error) error.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => process.Id;

    public string Output { get { lock (output) return output.ToString(); } }

    public string Error { get { lock (error) return error.ToString(); } }

    public static BuilderProcess Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        new(Process.Start(StartInfo(workingDirectory, environment, arguments))!);

    /// <summary>The CLI of this build (its dll beside the tests), with standard output and error redirected.</summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string>? environment, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Builder.Cli.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        return start;
    }

    public static async Task<(int Code, string Output, string Error)> RunAsync(
        string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        using var run = Start(workingDirectory, environment, arguments);
        var code = await run.WaitAsync(TimeSpan.FromMinutes(10));
        return (code, run.Output, run.Error);
    }

    /// <summary>Waits until a line of standard output satisfies the predicate.</summary>
    public async Task WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (output)
            {
                if (outputLines.Any(predicate)) return;
            }
            if (process.HasExited) throw new InvalidOperationException($"builder exited early ({process.ExitCode}): {Error}");
            await Task.Delay(100);
        }
        throw new TimeoutException($"no matching line within {timeout}; output so far:\n{Output}");
    }

    public void Signal(int signal)
    {
        if (Kill(process.Id, signal) != 0) throw new InvalidOperationException($"kill({process.Id}, {signal}) failed");
    }

    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        process.WaitForExit(); // flushes the output handlers
        return process.ExitCode;
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
