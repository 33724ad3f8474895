using System.Text;
using static Builder.Guestfs.Commands.ShellQuoting;

namespace Builder.Guestfs.Commands;

/// <summary>Where one command's files live in the session's staging tmpfs.</summary>
internal sealed record CommandFiles(string Folder)
{
    public string Script => Folder + "/script";
    public string Environment => Folder + "/env";
    public string Wrapper => Folder + "/run";
    public string Log => Folder + "/log";

    /// <summary>The script's exit code, or a word from <see cref="CommandWrapper"/> when it could not start.</summary>
    public string Status => Folder + "/status";
}

/// <summary>
/// The /bin/sh script that guestfs_sh runs (chrooted in the guest) for one command. It sources and
/// deletes the environment file, enters the working directory, and runs the script with stdin from
/// /dev/null, stdout and stderr merged, optionally without network (unshare -n). The merged output
/// goes to the log and to /dev/console between the begin and end markers, which the appliance console
/// carries to the host as it comes (see <see cref="ConsoleTap"/>). It always exits 0: the status file
/// holds the script's exit code, or why the script did not start. Secrets are never in its text.
/// </summary>
internal static class CommandWrapper
{
    public const string WorkingDirectoryMissing = "working-directory";
    public const string UnshareMissing = "no-unshare";

    public static byte[] Create(
        CommandFiles files, string workingDirectory, bool shebang, bool environment, bool isolateNetwork,
        string beginMarker, string endMarker)
    {
        var status = Quote(files.Status);
        var script = new StringBuilder();
        script.Append("""
            # Builder: runs one command (generated; removed with its folder when the command ends)
            PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
            HOME=/root
            export PATH HOME

            """);
        if (environment)
            script.Append($"set -a\n. {Quote(files.Environment)}\nset +a\nrm -f {Quote(files.Environment)}\n");
        script.Append($"cd -- {Quote(workingDirectory)} 2>/dev/null || {{ echo {WorkingDirectoryMissing} > {status}; exit 0; }}\n");
        if (isolateNetwork)
            script.Append($"command -v unshare >/dev/null 2>&1 || {{ echo {UnshareMissing} > {status}; exit 0; }}\n");
        var run = (isolateNetwork ? "unshare -n " : "") + (shebang ? Quote(files.Script) : "/bin/sh -e " + Quote(files.Script));
        script.Append($$"""
            if (exec 3>/dev/console) 2>/dev/null; then exec 3>/dev/console; else exec 3>&2; fi
            printf '%s\n' {{Quote(beginMarker)}} >&3
            { {{run}} </dev/null 2>&1 3>&-; echo $? > {{status}}; } | tee {{Quote(files.Log)}} >&3
            printf '%s\n' {{Quote(endMarker)}} >&3
            exit 0

            """);
        return Encoding.UTF8.GetBytes(script.ToString());
    }
}
