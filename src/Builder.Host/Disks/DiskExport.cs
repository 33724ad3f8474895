using System.Diagnostics;
using System.Text;
using Builder.Guests;
using Builder.Host.Native;
using Builder.Host.Sessions;

namespace Builder.Host.Disks;

/// <summary>
/// A disk image as a block-addressable host file: qemu-storage-daemon exports the image (qcow2 or
/// any format qemu reads) over FUSE onto an empty file in the work folder. It runs in a session of
/// its own (setsid), so a Ctrl-C at the terminal does not stop it under the mounts. Stopping it with
/// SIGTERM flushes the image; the exit status says whether that worked.
/// </summary>
internal sealed class DiskExport
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();
    private readonly Task _errorReader;
    private bool _ready;

    private DiskExport(Process process, string path)
    {
        _process = process;
        Path = path;
        _errorReader = Task.Run(async () =>
        {
            string? line;
            while ((line = await process.StandardError.ReadLineAsync().ConfigureAwait(false)) is not null)
                lock (_errors) _errors.AppendLine(line);
        });
    }

    /// <summary>The export file: the whole virtual disk.</summary>
    public string Path { get; }

    /// <param name="writable">False opens the image read-only: the export cannot change it, and qemu's locks let others read it meanwhile.</param>
    public static async Task<DiskExport> StartAsync(
        HostSession session, string image, string format, TimeSpan timeout, CancellationToken cancellationToken, bool writable = true)
    {
        var path = System.IO.Path.Combine(session.WorkFolder, "disk");
        await File.WriteAllBytesAsync(path, [], cancellationToken).ConfigureAwait(false);
        DiskExport? export = null;
        var resource = session.Record(
            new SessionResource(SessionJournal.NewId(), ResourceKind.Export, path),
            () => export is null ? Task.CompletedTask : export.StopAsync(session.Trace));
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true, // never the caller's stdout: a daemon left by a killed build must not hold it open
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            HostState.DaemonCommand,
            // discard=unmap: a trim in the guest (the loop device punches holes in the export) frees the blocks in the image.
            "--blockdev", $"driver=file,node-name=file,filename={Escape(image)},discard=unmap{(writable ? "" : ",read-only=on")}",
            "--blockdev", $"driver={Escape(format)},node-name=disk,file=file,discard=unmap{(writable ? "" : ",read-only=on")}",
            "--export", $"type=fuse,id=export,node-name=disk,mountpoint={Escape(path)},writable={(writable ? "on" : "off")}",
        ];
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["PATH"] = HostTool.SearchPath;
        session.Trace?.Invoke("setsid " + string.Join(' ', arguments));
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start qemu-storage-daemon");
        process.StandardInput.Close();
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
        export = new DiskExport(process, path);
        session.Update(resource with { Pid = process.Id, StartTime = ProcessIdentity.StartTime(process.Id) });
        await export.WaitReadyAsync(image, timeout, cancellationToken).ConfigureAwait(false);
        return export;
    }

    /// <summary>Flushes what reached the export (fsync), then SIGTERM: the daemon flushes the image and exits 0, or the flush failed.</summary>
    public async Task StopAsync(Action<string>? trace)
    {
        string? failure = null;
        if (!_process.HasExited)
        {
            TryFsync();
            trace?.Invoke($"kill -TERM {_process.Id} (qemu-storage-daemon)");
            LibC.Kill(_process.Id, Signals.Term);
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                await _process.WaitForExitAsync(patience.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                failure = "qemu-storage-daemon did not stop within a minute of SIGTERM and was killed";
            }
        }
        await _errorReader.ConfigureAwait(false);
        var exitCode = _process.ExitCode;
        _process.Dispose();
        await ResourceRelease.UnmountAsync(Path, trace).ConfigureAwait(false);
        // A daemon that never exported anything (a broken image) flushed nothing: its failure was reported when opening.
        if (failure is null && exitCode != 0 && _ready) failure = $"qemu-storage-daemon exited with {exitCode}: {Errors()}";
        if (failure is not null) throw new IOException($"{failure} (writes may not have reached the disk)");
    }

    private async Task WaitReadyAsync(string image, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (!HostState.IsMounted(Path))
        {
            if (_process.HasExited)
            {
                await _errorReader.ConfigureAwait(false);
                throw new GuestOperationException("export", image, $"qemu-storage-daemon exited with {_process.ExitCode}: {Errors()}");
            }
            if (deadline.Elapsed > timeout)
                throw new TimeoutException($"qemu-storage-daemon did not export {image} within {timeout.TotalSeconds:0} s");
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
        _ready = true;
    }

    private void TryFsync()
    {
        try
        {
            using var fd = Syscalls.OpenHost(Path, OpenFlags.ReadWrite);
            LibC.Fsync(fd.Number);
        }
        catch (NativeException)
        {
            // The daemon's own flush at exit is what counts; its exit status reports it.
        }
    }

    private string Errors()
    {
        lock (_errors) return _errors.ToString().Trim();
    }

    /// <summary>qemu's option syntax: a comma in a value is written twice.</summary>
    private static string Escape(string value) => value.Replace(",", ",,", StringComparison.Ordinal);
}
