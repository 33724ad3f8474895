using System.Text;
using Builder.Guests;

namespace Builder.Execution;

/// <summary>
/// Machine identity never goes into a layer: layers are shared by every recipe that starts with
/// the same steps, and clones must not share a machine-id or ssh host keys (virt-builder's
/// "CLONES" advice). At the end of each layer the machine-id is emptied (systemd makes a new one at
/// first boot, as it expects of images), a D-Bus machine-id file is removed, and ssh host keys are
/// removed with a unit that makes new ones before sshd starts at first boot.
/// </summary>
internal static class CloneIdentity
{
    public const string KeygenUnit = "/etc/systemd/system/builder-ssh-host-keys.service";
    private const string KeygenWants = "/etc/systemd/system/multi-user.target.wants/builder-ssh-host-keys.service";
    private const string KeygenInit = "/etc/init.d/builder-ssh-host-keys";

    private const string Unit = """
        # Written by builder: this image was built without ssh host keys, so that clones differ.
        [Unit]
        Description=builder: generate ssh host keys
        Before=ssh.service sshd.service
        ConditionPathExists=/usr/bin/ssh-keygen

        [Service]
        Type=oneshot
        ExecStart=/usr/bin/ssh-keygen -A

        [Install]
        WantedBy=multi-user.target

        """;

    private const string InitScript = """
        #!/bin/sh
        ### BEGIN INIT INFO
        # Provides:          builder-ssh-host-keys
        # Required-Start:    $local_fs
        # X-Start-Before:    ssh sshd
        # Default-Start:     2 3 4 5
        # Default-Stop:
        # Short-Description: builder: generate ssh host keys
        ### END INIT INFO
        case "$1" in start) [ -x /usr/bin/ssh-keygen ] && /usr/bin/ssh-keygen -A ;; esac

        """;

    public static async Task ResetAsync(IGuest guest, CancellationToken cancellationToken)
    {
        if (await guest.LstatAsync("/etc/machine-id", cancellationToken) is { Type: GuestFileType.Regular, Size: > 0 })
            await guest.WriteFileAsync("/etc/machine-id", ReadOnlyMemory<byte>.Empty, cancellationToken);
        if (await guest.LstatAsync("/var/lib/dbus/machine-id", cancellationToken) is { Type: GuestFileType.Regular })
            await guest.DeleteAsync("/var/lib/dbus/machine-id", cancellationToken);

        var keys = await guest.GlobAsync("/etc/ssh/ssh_host_*", cancellationToken);
        if (keys.Count == 0) return;
        foreach (var key in keys) await guest.DeleteAsync(key, cancellationToken);
        await InstallKeygenAsync(guest, cancellationToken);
    }

    private static async Task InstallKeygenAsync(IGuest guest, CancellationToken cancellationToken)
    {
        if (await guest.LstatAsync("/lib/systemd/systemd", cancellationToken) is not null
            || await guest.LstatAsync("/usr/lib/systemd/systemd", cancellationToken) is not null)
        {
            if (await guest.LstatAsync(KeygenUnit, cancellationToken) is not null) return;
            await guest.MkdirAsync("/etc/systemd/system/multi-user.target.wants", cancellationToken);
            await guest.WriteFileAsync(KeygenUnit, Encoding.UTF8.GetBytes(Unit), cancellationToken);
            await guest.ChmodAsync(KeygenUnit, 0x1A4, cancellationToken);
            await guest.SymlinkAsync(KeygenUnit, KeygenWants, cancellationToken);
            return;
        }
        if (await guest.LstatAsync(KeygenInit, cancellationToken) is not null) return;
        await guest.MkdirAsync("/etc/init.d", cancellationToken);
        await guest.WriteFileAsync(KeygenInit, Encoding.UTF8.GetBytes(InitScript), cancellationToken);
        await guest.ChmodAsync(KeygenInit, 0x1ED, cancellationToken);
        foreach (var level in new[] { 2, 3, 4, 5 })
        {
            await guest.MkdirAsync($"/etc/rc{level}.d", cancellationToken);
            await guest.SymlinkAsync("../init.d/builder-ssh-host-keys", $"/etc/rc{level}.d/S01builder-ssh-host-keys", cancellationToken);
        }
    }
}
