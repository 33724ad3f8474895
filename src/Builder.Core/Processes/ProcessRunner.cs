using System.Diagnostics;
using System.Text;

namespace Builder.Processes;

/// <summary>The result of a finished process.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// Runs a program with an argument list (never through a shell) and collects its output.
/// Cancellation kills the whole process tree.
/// </summary>
public static class ProcessRunner
{
    /// <param name="onLine">Receives each line of output (stdout and stderr) as it comes, for progress and traces.</param>
    /// <param name="input">Written to the program's standard input, which is then closed.</param>
    public static async Task<ProcessResult> RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken,
        Action<string>? onLine = null, string? input = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Messages we parse must not be translated.
        start.Environment["LC_ALL"] = "C";

        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            onLine?.Invoke(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (error) error.AppendLine(e.Data);
            onLine?.Invoke(e.Data);
        };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ProgramNotFoundException(program, e);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (input is not null) await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }
        return new ProcessResult(process.ExitCode, output.ToString(), error.ToString());
    }
}

/// <summary>A program Builder needs is not installed.</summary>
public sealed class ProgramNotFoundException(string program, Exception inner)
    : Exception($"{program} was not found; install it (Debian and Ubuntu: apt-get install {PackageOf(program)})", inner)
{
    public string Program { get; } = program;

    private static string PackageOf(string program) => program switch
    {
        "qemu-img" => "qemu-utils",
        "qemu-system-x86_64" => "qemu-system-x86",
        _ => program,
    };
}
