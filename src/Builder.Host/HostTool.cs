using System.Diagnostics;
using System.Text;

namespace Builder.Host;

/// <summary>How a host program ended, and what it printed.</summary>
internal sealed record ToolResult(int ExitCode, string Output, string Error);

/// <summary>A host program failed: the command line (which never holds a secret) and what it said.</summary>
internal sealed class HostToolException(string program, int exitCode, string error)
    : Exception($"{program} exited with {exitCode}: {error.Trim()}")
{
    public string Error { get; } = error.Trim();
}

/// <summary>Runs the host's own programs (sfdisk, blkid, losetup): C locale, no stdin, output captured, killed when cancelled.</summary>
internal static class HostTool
{
    public const string SearchPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <param name="input">What the program reads on its standard input (an sfdisk script); null for nothing.</param>
    /// <param name="environment">Variables set for the program beside LC_ALL and PATH (E2FSPROGS_FAKE_TIME); null for none.</param>
    public static async Task<ToolResult> RunAsync(
        string program, IReadOnlyList<string> arguments, Action<string>? trace, CancellationToken cancellationToken, string? input = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        trace?.Invoke($"{program} {string.Join(' ', arguments)}");
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["LC_ALL"] = "C";
        start.Environment["PATH"] = SearchPath;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            if (input is not null) await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        return new ToolResult(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    /// <summary>Runs and returns standard output; a non-zero exit throws <see cref="HostToolException"/>.</summary>
    public static async Task<string> OutputAsync(
        string program, IReadOnlyList<string> arguments, Action<string>? trace, CancellationToken cancellationToken, string? input = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = await RunAsync(program, arguments, trace, cancellationToken, input, environment).ConfigureAwait(false);
        return result.ExitCode == 0 ? result.Output : throw new HostToolException(program, result.ExitCode, result.Error);
    }

    /// <summary>The first executable of that name on the search path, or null.</summary>
    public static string? Find(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") is { Length: > 0 } own ? own + ":" + SearchPath : SearchPath;
        foreach (var folder in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, program);
            if (File.Exists(candidate) && (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
                return candidate;
        }
        return null;
    }
}
