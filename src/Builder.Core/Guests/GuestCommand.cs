namespace Builder.Guests;

/// <summary>
/// A script to run inside the guest, as root, with the guest's own programs (chroot semantics):
/// /proc, /sys, /dev and a working resolv.conf are provided by the backend while it runs.
/// </summary>
/// <param name="Script">The script's text. Run with /bin/sh -e, unless it starts with a #! line, which then chooses the interpreter.</param>
/// <param name="Environment">Extra environment variables. Values may be secrets: a backend passes them without any argv,
/// never writes them to the guest's disk, and never logs them.</param>
/// <param name="Network">Whether the script may use the network. Without it the script runs with no network at all.</param>
/// <param name="WorkingDirectory">The guest folder the script starts in.</param>
public sealed record GuestCommand(
    string Script,
    IReadOnlyDictionary<string, string>? Environment = null,
    bool Network = false,
    string WorkingDirectory = "/");

/// <summary>How a guest command ended.</summary>
/// <param name="Tail">The last lines of its output (stdout and stderr together), at most <see cref="TailLines"/>.</param>
public sealed record GuestCommandResult(int ExitCode, IReadOnlyList<string> Tail)
{
    public const int TailLines = 20;

    public bool Succeeded => ExitCode == 0;
}
