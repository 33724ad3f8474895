using Builder.Host.Native;
using Builder.Host.Sessions;

namespace Builder.Host.Mounting;

/// <summary>mount(2) of a device on a folder held as an fd (resolved inside the guest), recorded by the host path the fd is at.</summary>
internal static class FilesystemMount
{
    private const int BusyAttempts = 20;
    private static readonly TimeSpan BusyRetry = TimeSpan.FromMilliseconds(100);

    /// <param name="data">Filesystem options (a btrfs subvol=), or null.</param>
    public static async Task<SessionResource> MountAsync(
        HostSession session, string device, FileDescriptor target, string type, bool readOnly, string? data = null)
    {
        var path = target.HostPath();
        if (!path.StartsWith(session.WorkFolder + "/", StringComparison.Ordinal))
            throw new IOException($"refusing to mount outside the session's work folder: {path}");
        var resource = session.Record(new SessionResource(SessionJournal.NewId(), ResourceKind.Mount, path));
        var options = string.Join(',', new[] { readOnly ? "ro" : null, data }.Where(o => o is not null));
        session.Trace?.Invoke($"mount -t {type}{(options.Length > 0 ? " -o " + options : "")} {device} {path}");
        // The kernel follows /proc/self/fd/N to the very folder resolved, whatever the path to it has become.
        // A loop device that was just attached or unmounted can be briefly claimed by udev's probes: EBUSY, retried.
        for (var attempt = 1; ; attempt++)
        {
            if (LibC.Mount(device, target.ProcPath, type, readOnly ? MountFlags.ReadOnly : 0, data) == 0) return resource;
            var error = NativeException.Last("mount");
            if (error.Errno == Errno.EBUSY && attempt < BusyAttempts)
            {
                await Task.Delay(BusyRetry).ConfigureAwait(false);
                continue;
            }
            await session.ReleaseAsync(resource).ConfigureAwait(false);
            throw error;
        }
    }

    /// <summary>A tmpfs (the command staging area): private to root, bounded, never on the guest's disk.</summary>
    public static async Task<SessionResource> MountTmpfsAsync(HostSession session, FileDescriptor target, string options)
    {
        var path = target.HostPath();
        if (!path.StartsWith(session.WorkFolder + "/", StringComparison.Ordinal))
            throw new IOException($"refusing to mount outside the session's work folder: {path}");
        var resource = session.Record(new SessionResource(SessionJournal.NewId(), ResourceKind.Mount, path));
        session.Trace?.Invoke($"mount -t tmpfs -o {options} builder-run {path}");
        if (LibC.Mount("builder-run", target.ProcPath, "tmpfs", MountFlags.NoSuid | MountFlags.NoDev, options) == 0) return resource;
        var error = NativeException.Last("mount");
        await session.ReleaseAsync(resource).ConfigureAwait(false);
        throw error;
    }
}
