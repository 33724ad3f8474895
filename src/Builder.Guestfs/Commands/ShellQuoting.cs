using System.Text;

namespace Builder.Guestfs.Commands;

/// <summary>POSIX shell quoting, for the wrapper script and the environment file a command sources.</summary>
internal static class ShellQuoting
{
    /// <summary>'…' with every ' written as '\'': the shell takes the value literally, newlines included.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// NAME='value' lines, sorted by name, for <c>set -a; . FILE; set +a</c>. The values may be
    /// secrets: no message names a value, only its variable.
    /// </summary>
    public static byte[] EnvironmentFile(IReadOnlyDictionary<string, string> environment)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!IsName(name)) throw new ArgumentException($"'{name}' is not a valid environment variable name (letters, digits and _, not starting with a digit)", nameof(environment));
            if (value.Contains('\0', StringComparison.Ordinal)) throw new ArgumentException($"the value of {name} contains a NUL character", nameof(environment));
            text.Append(name).Append('=').Append(Quote(value)).Append('\n');
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>A POSIX name: [A-Za-z_][A-Za-z0-9_]*.</summary>
    public static bool IsName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
