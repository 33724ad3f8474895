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
    public static async Task<ProcessResult> RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken)
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
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (error) error.AppendLine(e.Data); };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ProgramNotFoundException(program, e);
        }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
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
