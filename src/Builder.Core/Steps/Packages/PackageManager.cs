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

    /// <summary>Removes downloaded packages and package lists.</summary>
    public abstract string Clean();

    /// <summary>Finds the name of a package the manager says does not exist, in its output.</summary>
    protected abstract Regex MissingPackage { get; }

    public string? MissingPackageIn(IEnumerable<string> output) =>
        output.Select(line => MissingPackage.Match(line)).FirstOrDefault(m => m.Success)?.Groups["package"].Value;

    /// <summary>Output that means the mirror could not be reached (DNS, connection, timeout).</summary>
    public static bool MirrorUnreachable(IEnumerable<string> output) =>
        output.Any(line => Unreachable().IsMatch(line));

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
