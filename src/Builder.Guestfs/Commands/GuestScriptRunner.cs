using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text;
using Builder.Guestfs.Native;
using Builder.Guests;

namespace Builder.Guestfs.Commands;

/// <summary>
/// Runs <see cref="GuestCommand"/>s in one session. The first command mounts a tmpfs at
/// /run/builder in the guest; each command's script, environment file, wrapper and log live in a
/// folder of it, so nothing of a command reaches the guest's disk, and the folder is removed when
/// the command ends. guestfs_sh runs the wrapper chrooted in the guest, with /dev, /proc and /sys
/// bound, and (when the session has network) the appliance's resolv.conf in place of the guest's,
/// which it restores. Called with the session's gate held, on a worker thread.
/// </summary>
internal sealed class GuestScriptRunner(bool sessionNetwork)
{
    private const string StagingFolder = "/run/builder";
    private const int Mode0700 = 0x1C0;
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(2);

    /// <summary>Prints the folders it had to create (deepest first) so they can be removed afterwards.</summary>
    private const string StageScript = """
        set -e
        run=; dir=
        [ -e /run ] || run=/run
        [ -e /run/builder ] || dir=/run/builder
        mkdir -p /run/builder
        if ! mount -n -t tmpfs -o mode=0700,size=64m builder-run /run/builder; then
          [ -z "$dir" ] || rmdir /run/builder
          [ -z "$run" ] || rmdir /run
          exit 1
        fi
        echo $dir $run
        """;

    private string[]? _createdFolders;

    public GuestCommandResult Run(GuestfsConnection g, GuestCommand command, Action<string> output)
    {
        if (command.Network && !sessionNetwork)
            throw new GuestOperationException(
                "run", null, "the command asks for the network, but the session was opened without it (GuestSessionOptions.Network)");
        var environment = command.Environment is { Count: > 0 } variables ? ShellQuoting.EnvironmentFile(variables) : null;
        try
        {
            EnsureStaged(g);
            var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            var files = new CommandFiles($"{StagingFolder}/{nonce}");
            g.MkdirP(files.Folder);
            try
            {
                return RunStaged(g, command, files, nonce, environment, output);
            }
            finally
            {
                TryRemove(g, files.Folder);
            }
        }
        finally
        {
            if (environment is not null) CryptographicOperations.ZeroMemory(environment);
        }
    }

    /// <summary>Unmounts the staging tmpfs (lazily: a process the script left behind must not keep it) and removes the folders it made.</summary>
    public void Teardown(GuestfsConnection g)
    {
        if (_createdFolders is not { } created) return;
        _createdFolders = null;
        g.UmountLazy(StagingFolder);
        foreach (var folder in created) g.Rmdir(folder);
    }

    private void EnsureStaged(GuestfsConnection g)
    {
        if (_createdFolders is not null) return;
        _createdFolders = g.Sh(StageScript).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
    }

    private GuestCommandResult RunStaged(
        GuestfsConnection g, GuestCommand command, CommandFiles files, string nonce, byte[]? environment, Action<string> output)
    {
        var shebang = command.Script.StartsWith("#!", StringComparison.Ordinal);
        g.Write(files.Script, Encoding.UTF8.GetBytes(command.Script));
        if (shebang) g.Chmod(files.Script, Mode0700);
        if (environment is not null) WriteUntraced(g, files.Environment, environment);
        var isolate = sessionNetwork && !command.Network;
        var (begin, end) = ($"builder-output-begin-{nonce}", $"builder-output-end-{nonce}");
        g.Write(files.Wrapper, CommandWrapper.Create(files, command.WorkingDirectory, shebang, environment is not null, isolate, begin, end));
        var tap = new ConsoleTap(begin, end, output);

        g.Events.Attach(tap);
        try
        {
            g.Sh("/bin/sh " + ShellQuoting.Quote(files.Wrapper));
            Drain(g, tap);
        }
        finally
        {
            g.Events.Detach(tap);
        }

        var exitCode = ReadExitCode(g, files, command);
        if (!tap.Opened) tap.Deliver(ReadLog(g, files)); // no console in this guest: the output comes at the end
        if (tap.Failure is { } failure) ExceptionDispatchInfo.Capture(failure).Throw();
        return new GuestCommandResult(exitCode, g.TailN(GuestCommandResult.TailLines, files.Log));
    }

    /// <summary>The trace would show the written bytes: it is off while the environment (secrets) is written.</summary>
    private static void WriteUntraced(GuestfsConnection g, string path, byte[] content)
    {
        var traced = g.GetTrace();
        if (traced) g.SetTrace(false);
        try
        {
            g.Write(path, content);
        }
        finally
        {
            if (traced) g.SetTrace(true);
        }
    }

    /// <summary>
    /// The wrapper writes the end marker before guestfsd replies, but console bytes still in the
    /// appliance's tty buffer may come after the reply; libguestfs reads them during later calls.
    /// </summary>
    private static void Drain(GuestfsConnection g, ConsoleTap tap)
    {
        var started = Stopwatch.GetTimestamp();
        while (tap.Opened && !tap.Ended && Stopwatch.GetElapsedTime(started) < DrainLimit)
        {
            Thread.Sleep(10);
            g.PingDaemon();
        }
    }

    private static int ReadExitCode(GuestfsConnection g, CommandFiles files, GuestCommand command)
    {
        string status;
        try
        {
            status = Encoding.UTF8.GetString(g.Pread(files.Status, 64, 0)).Trim();
        }
        catch (GuestfsException e) when (e.Errno == GuestfsConnection.ENOENT)
        {
            throw new GuestOperationException("run", null, "the command's wrapper stopped before the script ran", e);
        }
        return status switch
        {
            CommandWrapper.WorkingDirectoryMissing =>
                throw new GuestOperationException("run", command.WorkingDirectory, "the working directory is not a folder in the guest"),
            CommandWrapper.UnshareMissing => throw new GuestOperationException(
                "run", null, "the guest has no unshare (util-linux), so a command without network cannot be cut off from the session's network; " +
                "give the command the network or open the session without it"),
            _ when int.TryParse(status, out var code) => code,
            _ => throw new GuestOperationException("run", null, $"the command's wrapper left an unexpected status '{status}'"),
        };
    }

    private static string[] ReadLog(GuestfsConnection g, CommandFiles files)
    {
        var log = Encoding.UTF8.GetString(g.ReadFile(files.Log));
        if (log.Length == 0) return [];
        var lines = log.Split('\n');
        return log.EndsWith('\n') ? lines[..^1] : lines;
    }

    private static void TryRemove(GuestfsConnection g, string folder)
    {
        try
        {
            g.RmRf(folder);
        }
        catch (GuestfsException)
        {
            // The session is failing (or was killed); the tmpfs goes with it and nothing was on disk.
        }
    }
}
