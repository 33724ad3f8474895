using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Builder.Guests;
using Builder.Host.Files;
using Builder.Host.Native;
using Builder.Host.Sessions;

namespace Builder.Host.Commands;

/// <summary>
/// Runs <see cref="GuestCommand"/>s chrooted in the mounted guest, each in namespaces of its own:
/// <c>setsid unshare --fork --kill-child --pid --mount --uts --ipc [--net]</c>. The PID namespace
/// means nothing the command starts outlives it (when its first process ends, the kernel kills
/// the rest); the mount namespace holds its /proc, /sys and /dev, which vanish with it; UTS and IPC
/// keep a hostname call or a semaphore off the host; without the network it gets an empty network
/// namespace. The process group (setsid) is what a kill takes down, all at once.
/// </summary>
internal sealed class CommandRunner(HostSession session, GuestRoot root, StagingArea staging)
{
    private readonly Lock _lock = new();
    private Process? _current;
    private bool _killed;

    public async Task<GuestCommandResult> RunAsync(GuestCommand command, Action<string> output)
    {
        var variables = Variables(command.Environment);
        if (root.TryOpen(command.WorkingDirectory, OpenFlags.Path | OpenFlags.Directory, out _) is { } wd) wd.Dispose();
        else throw new GuestOperationException("run", command.WorkingDirectory, "the working directory is not a folder in the guest");

        await staging.EnsureAsync().ConfigureAwait(false);
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var folder = staging.CreateCommandFolder(nonce);
        try
        {
            var shebang = command.Script.StartsWith("#!", StringComparison.Ordinal);
            var files = new GuestFiles(root);
            var script = folder + "/script";
            files.WriteFile(script, Encoding.UTF8.GetBytes(command.Script), append: false, CancellationToken.None);
            files.Chmod(script, shebang ? 0x1C0 : 0x180);
            var marker = $"builder-started-{nonce}";
            var wrapper = folder + "/run";
            files.WriteFile(wrapper, Encoding.UTF8.GetBytes(
                CommandScripts.GuestWrapper(marker, variables.Keys, command.WorkingDirectory, script, shebang)), append: false, CancellationToken.None);

            using var resolver = command.Network ? ResolvConfSwap.Apply(root, nonce) : null;
            try
            {
                return await RunProcessAsync(command, variables, wrapper, marker, output).ConfigureAwait(false);
            }
            finally
            {
                resolver?.Restore();
            }
        }
        finally
        {
            staging.RemoveCommandFolder(folder);
        }
    }

    /// <summary>Kills the running command's whole process tree at once; later commands are refused.</summary>
    public void Kill()
    {
        lock (_lock)
        {
            _killed = true;
            if (_current is not { } process) return;
            try
            {
                LibC.Kill(-process.Id, Signals.Kill);
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended meanwhile.
            }
        }
    }

    private async Task<GuestCommandResult> RunProcessAsync(
        GuestCommand command, Dictionary<string, string> variables, string wrapper, string marker, Action<string> output)
    {
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        List<string> arguments = ["unshare", "--fork", "--kill-child", "--pid", "--mount", "--uts", "--ipc"];
        if (!command.Network) arguments.Add("--net");
        arguments.AddRange(["--", "/bin/sh", "-c", CommandScripts.HostWrapper(root.HostPath, IsFolder("/proc"), IsFolder("/sys"), IsFolder("/dev"), wrapper)]);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment.Clear();
        start.Environment["PATH"] = HostTool.SearchPath;
        foreach (var (name, value) in variables) start.Environment[CommandScripts.EnvironmentPrefix + name] = value;
        session.Trace?.Invoke($"setsid {string.Join(' ', arguments.Take(arguments.Count - 1))} (wrapper {wrapper}; environment: {string.Join(", ", variables.Keys)})");

        // Recorded before it starts (by the root its wrapper names), and by pid once it has.
        var record = session.Record(new SessionResource(SessionJournal.NewId(), ResourceKind.Process, root.HostPath));
        Process process;
        try
        {
            lock (_lock)
            {
                if (_killed) throw new OperationCanceledException("the guest session was cancelled");
                process = Process.Start(start) ?? throw new InvalidOperationException("could not start unshare");
                _current = process;
            }
        }
        catch
        {
            await session.ReleaseAsync(record).ConfigureAwait(false);
            throw;
        }
        using (process)
        {
            record = record with { Pid = process.Id, StartTime = ProcessIdentity.StartTime(process.Id) };
            session.Update(record);
            try
            {
                process.StandardInput.Close();
                var errors = process.StandardError.ReadToEndAsync();
                var lines = new OutputLines(marker, output);
                await Task.Run(() => Pump(process.StandardOutput.BaseStream, lines)).ConfigureAwait(false);
                await process.WaitForExitAsync().ConfigureAwait(false);
                var error = await errors.ConfigureAwait(false);
                lock (_lock)
                {
                    _current = null;
                    if (_killed) throw new OperationCanceledException("the guest session was cancelled and its command killed");
                }
                lines.ThrowIfCallbackFailed();
                if (!lines.Started)
                    throw new GuestOperationException("run", null, $"the command could not start in the guest (exit {process.ExitCode}): {error.Trim()}");
                return new GuestCommandResult(process.ExitCode, lines.Tail);
            }
            finally
            {
                lock (_lock) _current = null;
                await session.ReleaseAsync(record).ConfigureAwait(false);
            }
        }
    }

    private static void Pump(Stream stdout, OutputLines lines)
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = stdout.Read(buffer)) > 0) lines.Add(buffer.AsSpan(0, read));
        lines.Complete();
    }

    /// <summary>A plain folder at the top of the guest (not a symlink): only those get /proc, /sys and /dev mounted on.</summary>
    private bool IsFolder(string path) => root.Lstat(path)?.Type == GuestFileType.Directory;

    /// <summary>Checks names and values before anything runs (an invalid one is the caller's error, thrown as ArgumentException).</summary>
    public static void Validate(IReadOnlyDictionary<string, string>? environment) => Variables(environment);

    private static Dictionary<string, string> Variables(IReadOnlyDictionary<string, string>? environment)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            if (!CommandScripts.IsName(name))
                throw new ArgumentException($"'{name}' is not a valid environment variable name (letters, digits and _, not starting with a digit)", nameof(environment));
            if (value.Contains('\0', StringComparison.Ordinal))
                throw new ArgumentException($"the value of {name} contains a NUL character", nameof(environment));
            variables[name] = value;
        }
        return variables.OrderBy(v => v.Key, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
    }
}
