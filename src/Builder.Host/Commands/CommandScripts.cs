using System.Text;

namespace Builder.Host.Commands;

/// <summary>
/// The two small shell scripts around a command; neither holds a secret (values travel in the
/// process environment, each under BUILDER_ENV_NAME, so the host's own programs never see a
/// variable such as LD_PRELOAD that the recipe meant for the guest).
/// </summary>
internal static class CommandScripts
{
    public const string EnvironmentPrefix = "BUILDER_ENV_";

    /// <summary>
    /// Runs on the host as PID 1 of the command's namespaces: mounts a fresh /proc (of the new PID
    /// namespace), a read-only /sys, and a small /dev (tmpfs with the usual nodes, its own devpts and
    /// shm) in the guest, in the private mount namespace, so they vanish with it; then chroots.
    /// Only folders that are plain folders in the guest are mounted on.
    /// </summary>
    public static string HostWrapper(string root, bool proc, bool sys, bool dev, string guestWrapper)
    {
        var script = new StringBuilder();
        script.Append($"set -e\nR={Quote(root)}\n");
        if (proc) script.Append("mount -t proc -o nosuid,nodev,noexec builder-proc \"$R/proc\"\n");
        if (sys) script.Append("mount -t sysfs -o ro,nosuid,nodev,noexec builder-sys \"$R/sys\"\n");
        if (dev)
        {
            script.Append("""
                mount -t tmpfs -o nosuid,noexec,mode=0755,size=1m builder-dev "$R/dev"
                mknod -m 0666 "$R/dev/null" c 1 3
                mknod -m 0666 "$R/dev/zero" c 1 5
                mknod -m 0666 "$R/dev/full" c 1 7
                mknod -m 0666 "$R/dev/random" c 1 8
                mknod -m 0666 "$R/dev/urandom" c 1 9
                mknod -m 0666 "$R/dev/tty" c 5 0
                mkdir -m 0755 "$R/dev/pts"
                mkdir -m 1777 "$R/dev/shm"
                mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 builder-devpts "$R/dev/pts"
                mount -t tmpfs -o nosuid,nodev,mode=1777 builder-shm "$R/dev/shm"
                ln -s pts/ptmx "$R/dev/ptmx"
                ln -s /proc/self/fd "$R/dev/fd"
                ln -s /proc/self/fd/0 "$R/dev/stdin"
                ln -s /proc/self/fd/1 "$R/dev/stdout"
                ln -s /proc/self/fd/2 "$R/dev/stderr"

                """);
        }
        script.Append($"exec chroot \"$R\" /bin/sh {Quote(guestWrapper)} </dev/null\n");
        return script.ToString();
    }

    /// <summary>
    /// Runs in the guest (its /bin/sh): merges stderr into stdout, says it started (the marker line),
    /// sets PATH and HOME, moves each BUILDER_ENV_NAME to NAME, enters the working directory and
    /// execs the script, with /bin/sh -e unless it has a #! line.
    /// </summary>
    public static string GuestWrapper(string startedMarker, IEnumerable<string> variables, string workingDirectory, string script, bool shebang)
    {
        var text = new StringBuilder();
        text.Append($$"""
            exec 2>&1
            printf '%s\n' {{Quote(startedMarker)}}
            PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
            HOME=/root
            export PATH HOME

            """);
        foreach (var name in variables)
            text.Append($"{name}=\"${EnvironmentPrefix}{name}\"; export {name}; unset {EnvironmentPrefix}{name}\n");
        text.Append($"cd -- {Quote(workingDirectory)} || exit 125\n");
        text.Append(shebang ? $"exec {Quote(script)}\n" : $"exec /bin/sh -e {Quote(script)}\n");
        return text.ToString();
    }

    /// <summary>A POSIX name: [A-Za-z_][A-Za-z0-9_]*.</summary>
    public static bool IsName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>'…' with every ' written as '\'': the shell takes the value literally.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
