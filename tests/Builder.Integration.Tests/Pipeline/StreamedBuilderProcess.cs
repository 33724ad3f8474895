using System.Diagnostics;

namespace Builder.IntegrationTests.Pipeline;

/// <summary>The real `builder` command with its standard output going, byte for byte, to a file, as a shell's `> file` would send it.</summary>
internal static class StreamedBuilderProcess
{
    public static async Task<(int Code, string Error)> RunAsync(
        string workingDirectory, IReadOnlyDictionary<string, string> environment, string stdoutFile, params string[] arguments)
    {
        using var process = Process.Start(BuilderProcess.StartInfo(workingDirectory, environment, arguments))!;
        var error = process.StandardError.ReadToEndAsync();
        await using (var file = File.Create(stdoutFile))
            await process.StandardOutput.BaseStream.CopyToAsync(file);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await error);
    }

    /// <summary>The command with a terminal (a pseudo-terminal from script(1)) as its standard output.</summary>
    public static (int Code, string Output) RunOnTerminal(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var command = string.Join(' ', new[] { "dotnet", Path.Combine(AppContext.BaseDirectory, "Builder.Cli.dll") }.Concat(arguments).Select(Quote));
        var start = new ProcessStartInfo("script", ["-qec", command, "/dev/null"])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

    private static string Quote(string argument) => "'" + argument.Replace("'", "'\\''") + "'";
}
