using Builder.Host.Native;

namespace Builder.Host.Sessions;

/// <summary>
/// Releases one recorded resource, whether its session is alive (teardown) or dead (stale
/// cleanup): idempotent, and only what the record names. A resource that is not there is released.
/// </summary>
internal static class ResourceRelease
{
    private static readonly TimeSpan BusyRetry = TimeSpan.FromMilliseconds(100);

    /// <summary>Whether the resource still exists on the host.</summary>
    public static bool Exists(SessionResource resource) => resource.Kind switch
    {
        ResourceKind.Folder => Directory.Exists(resource.Path),
        ResourceKind.Export => HostState.DaemonsOf(resource).Count > 0 || HostState.IsMounted(resource.Path),
        ResourceKind.Loop => HostState.LoopsOf(resource).Count > 0,
        ResourceKind.Mount => HostState.IsMounted(resource.Path),
        ResourceKind.Process => HostState.CommandProcessesOf(resource).Count > 0,
        _ => false,
    };

    public static Task ReleaseAsync(SessionResource resource, Action<string>? trace, CancellationToken cancellationToken) => resource.Kind switch
    {
        ResourceKind.Folder => Task.Run(() => DeleteFolder(resource.Path), CancellationToken.None),
        ResourceKind.Export => StopDaemonsAsync(resource, trace),
        ResourceKind.Loop => DetachLoopsAsync(resource, trace, cancellationToken),
        ResourceKind.Mount => UnmountAsync(resource.Path, trace),
        ResourceKind.Process => KillProcessAsync(resource),
        _ => Task.CompletedTask,
    };

    /// <summary>umount; when busy, retried for a second, then detached lazily (MNT_DETACH).</summary>
    public static async Task UnmountAsync(string path, Action<string>? trace)
    {
        for (var attempt = 0; HostState.IsMounted(path); attempt++)
        {
            var lazy = attempt >= 10;
            trace?.Invoke($"umount{(lazy ? " -l" : "")} {path}");
            if (LibC.Umount2(path, MountFlags.NoFollow | (lazy ? MountFlags.Detach : 0)) == 0) continue;
            var error = NativeException.Last("umount");
            if (error.Errno is Errno.EINVAL or Errno.ENOENT) return; // not a mount point (any more)
            if (error.Errno != Errno.EBUSY || lazy) throw new IOException($"umount {path}: {error.Description}", error);
            await Task.Delay(BusyRetry, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task DetachLoopsAsync(SessionResource loop, Action<string>? trace, CancellationToken cancellationToken)
    {
        foreach (var device in HostState.LoopsOf(loop))
        {
            var result = await HostTool.RunAsync("losetup", ["--detach", device], trace, cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0 && HostState.LoopsOf(loop with { Device = device }).Count > 0)
                throw new HostToolException("losetup", result.ExitCode, result.Error);
        }
        // A detach while something still holds the device is deferred: wait for it, briefly.
        for (var i = 0; i < 50 && HostState.LoopsOf(loop).Count > 0; i++)
            await Task.Delay(BusyRetry, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>SIGTERM (qemu-storage-daemon flushes and exits), SIGKILL after a minute; then a FUSE mount left on the export file is detached.</summary>
    private static async Task StopDaemonsAsync(SessionResource export, Action<string>? trace)
    {
        foreach (var pid in HostState.DaemonsOf(export))
        {
            trace?.Invoke($"kill -TERM {pid} (qemu-storage-daemon)");
            var start = ProcessIdentity.StartTime(pid);
            LibC.Kill(pid, Signals.Term);
            if (!await WaitGoneAsync(pid, start, TimeSpan.FromMinutes(1)).ConfigureAwait(false))
            {
                LibC.Kill(pid, Signals.Kill);
                await WaitGoneAsync(pid, start, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
        }
        await UnmountAsync(export.Path, trace).ConfigureAwait(false);
    }

    /// <summary>The command's process group (setsid made it its own) and its leader, with SIGKILL; unshare --kill-child takes the PID namespace with it.</summary>
    private static async Task KillProcessAsync(SessionResource process)
    {
        foreach (var pid in HostState.CommandProcessesOf(process))
        {
            var start = ProcessIdentity.StartTime(pid);
            LibC.Kill(-pid, Signals.Kill);
            LibC.Kill(pid, Signals.Kill);
            await WaitGoneAsync(pid, start, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
    }

    /// <summary>Removes the work folder, unless something is still mounted in it (then deleting would reach into the mount).</summary>
    private static void DeleteFolder(string folder)
    {
        if (!Directory.Exists(folder)) return;
        var mounts = HostState.MountsUnder(folder);
        if (mounts.Count > 0) throw new IOException($"{folder} still has mounts ({string.Join(", ", mounts)}); left in place");
        Directory.Delete(folder, recursive: true);
    }

    public static async Task<bool> WaitGoneAsync(int pid, ulong? startTime, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (ProcessIdentity.IsAlive(pid, startTime))
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(20, CancellationToken.None).ConfigureAwait(false);
        }
        return true;
    }
}
