using System.Text;
using Builder.Guests;

namespace Builder.Steps.Firstboot;

/// <summary>The first-boot runner and the init job that starts it, written into the guest once.</summary>
internal static class FirstbootJob
{
    public const string Root = "/usr/lib/builder/firstboot";
    public const string Scripts = Root + "/scripts";
    public const string Runner = Root + "/run";
    public const string Log = "/var/log/builder-firstboot.log";
    private const string Unit = "/etc/systemd/system/builder-firstboot.service";
    private const string Wants = "/etc/systemd/system/multi-user.target.wants/builder-firstboot.service";
    private const string InitScript = "/etc/init.d/builder-firstboot";

    private static readonly string RunnerScript = $$"""
        #!/bin/sh
        # Written by builder: runs each first-boot script once, in order, then disables itself.
        log={{Log}}
        run() { case "$(head -c 2 "$1")" in '#!') "$1" ;; *) sh -e "$1" ;; esac; }
        for script in $(ls {{Scripts}} 2>/dev/null | sort); do
          echo "builder-firstboot: running $script" | tee -a "$log"
          run "{{Scripts}}/$script" 2>&1 | tee -a "$log"
          rm -f "{{Scripts}}/$script"
        done
        echo "builder-firstboot: done" | tee -a "$log"
        rm -f {{Wants}} /etc/rc2.d/S99builder-firstboot /etc/rc3.d/S99builder-firstboot /etc/rc4.d/S99builder-firstboot /etc/rc5.d/S99builder-firstboot

        """;

    private const string SystemdUnit = $"""
        # Written by builder: the first-boot scripts of the recipe this image was built from.
        [Unit]
        Description=builder first-boot scripts
        After=network-online.target
        Wants=network-online.target

        [Service]
        Type=oneshot
        ExecStart={Runner}
        RemainAfterExit=yes
        StandardOutput=journal+console
        StandardError=journal+console

        [Install]
        WantedBy=multi-user.target

        """;

    private const string SysvScript = $"""
        #!/bin/sh
        ### BEGIN INIT INFO
        # Provides:          builder-firstboot
        # Required-Start:    $all
        # Required-Stop:
        # Default-Start:     2 3 4 5
        # Default-Stop:
        # Short-Description: builder first-boot scripts
        ### END INIT INFO
        case "$1" in start) {Runner} ;; esac

        """;

    public static async Task EnsureInstalledAsync(IGuest guest, CancellationToken cancellationToken)
    {
        if (await guest.LstatAsync(Runner, cancellationToken) is not null) return;
        await guest.MkdirAsync(Scripts, cancellationToken);
        await WriteAsync(guest, Runner, RunnerScript, 0x1ED, cancellationToken);
        if (await HasSystemdAsync(guest, cancellationToken))
        {
            await WriteAsync(guest, Unit, SystemdUnit, 0x1A4, cancellationToken);
            await guest.MkdirAsync(Path.GetDirectoryName(Wants)!, cancellationToken);
            await guest.SymlinkAsync(Unit, Wants, cancellationToken);
            return;
        }
        await WriteAsync(guest, InitScript, SysvScript, 0x1ED, cancellationToken);
        foreach (var level in new[] { 2, 3, 4, 5 })
        {
            await guest.MkdirAsync($"/etc/rc{level}.d", cancellationToken);
            await guest.SymlinkAsync("../init.d/builder-firstboot", $"/etc/rc{level}.d/S99builder-firstboot", cancellationToken);
        }
    }

    private static async Task<bool> HasSystemdAsync(IGuest guest, CancellationToken cancellationToken)
    {
        foreach (var path in new[] { "/lib/systemd/systemd", "/usr/lib/systemd/systemd" })
            if (await guest.LstatAsync(path, cancellationToken) is not null) return true;
        return false;
    }

    private static async Task WriteAsync(IGuest guest, string path, string content, int mode, CancellationToken cancellationToken)
    {
        await guest.MkdirAsync(Path.GetDirectoryName(path)!, cancellationToken);
        await guest.WriteFileAsync(path, Encoding.UTF8.GetBytes(content), cancellationToken);
        await guest.ChmodAsync(path, mode, cancellationToken);
    }
}
