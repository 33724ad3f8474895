using System.Diagnostics;
using System.Text;
using Builder.Processes;

namespace Builder.Templates.Repositories.Downloads;

/// <summary>
/// Runs a program (an argument list, never a shell) whose standard output is binary data, such as
/// <c>xz -dc</c>, writing that output to a file. Cancellation kills the process.
/// </summary>
public static class StreamingProcess
{
    /// <returns>The exit code and the standard error.</returns>
    public static async Task<(int ExitCode, string Error)> RunToFileAsync(string program, IEnumerable<string> arguments, string outputFile, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["LC_ALL"] = "C";

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ProgramNotFoundException(program, e);
        }
        process.StandardInput.Close();
        var error = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (error) error.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        try
        {
            await using (var output = new FileStream(outputFile, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true))
            {
                await process.StandardOutput.BaseStream.CopyToAsync(output, 1 << 20, cancellationToken);
            }
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }
        lock (error) return (process.ExitCode, error.ToString().Trim());
    }
}
