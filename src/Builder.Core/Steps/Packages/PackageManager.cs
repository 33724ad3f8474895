using System.Text.RegularExpressions;

namespace Builder.Steps.Packages;

/// <summary>
/// The shell commands for one package manager: non-interactive, quiet about recommends unless
/// asked, bounded in how long they wait for a mirror. Package names are single-quoted.
/// </summary>
public abstract class PackageManager
{
    public abstract string Name { get; }

    public abstract string Update();

    public abstract string Install(IReadOnlyList<string> packages, bool recommends);

    public abstract string Uninstall(IReadOnlyList<string> packages);

    /// <summary>
    /// Globs of the downloaded packages and package lists, which the finish deletes as files: no
    /// command runs in the guest for it (a command costs a process in the appliance, and needs a
    /// shell and the guest's own architecture on the host).
    /// </summary>
    public abstract IReadOnlyList<string> CacheFiles { get; }

    /// <summary>Finds the name of a package the manager says does not exist, in its output.</summary>
    protected abstract Regex MissingPackage { get; }

    public string? MissingPackageIn(IEnumerable<string> output) =>
        output.Select(line => MissingPackage.Match(line)).FirstOrDefault(m => m.Success)?.Groups["package"].Value;

    /// <summary>Output that means the mirror could not be reached (DNS, connection, timeout).</summary>
    public static bool MirrorUnreachable(IEnumerable<string> output) =>
        output.Any(line => Unreachable().IsMatch(line));

    /// <summary>
    /// The line that says why the mirror failed, preferring one that names a URL (apt's "Failed to fetch URL  Connection
    /// timed out"), without apt's "E: " or "W: " and with runs of spaces collapsed; null when no line says so.
    /// </summary>
    public static string? MirrorFailure(IEnumerable<string> output)
    {
        var lines = output.Where(line => Unreachable().IsMatch(line)).ToList();
        var line = lines.FirstOrDefault(l => l.Contains("://", StringComparison.Ordinal)) ?? lines.FirstOrDefault();
        if (line is null) return null;
        line = line.Trim();
        if (line.StartsWith("E: ", StringComparison.Ordinal) || line.StartsWith("W: ", StringComparison.Ordinal)) line = line[3..];
        return string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    public static PackageManager? For(string name) => name switch
    {
        "apt" => new Apt(),
        "dnf" => new Dnf("dnf"),
        "yum" => new Dnf("yum"),
        "zypper" => new Zypper(),
        "apk" => new Apk(),
        "pacman" => new Pacman(),
        _ => null,
    };

    public static IReadOnlyList<string> Supported { get; } = ["apt", "dnf", "yum", "zypper", "apk", "pacman"];

    protected static string Quote(IEnumerable<string> packages) => string.Join(' ', packages.Select(p => "'" + p.Replace("'", "'\\''") + "'"));

    private static Regex Unreachable() => new(
        "Temporary failure resolving|Could not resolve|Could not connect|Connection timed out|Network is unreachable|" +
        "Failed to download metadata|Curl error|Unable to fetch|temporary error \\(try again later\\)|failed retrieving file",
        RegexOptions.IgnoreCase);
}
