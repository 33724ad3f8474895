using System.Text.RegularExpressions;

namespace Builder.Templates.Store;

/// <summary>Template names: lower-case letters, digits, '.', '_' and '-' ("debian-12", "ubuntu-24.04").</summary>
public static partial class TemplateNames
{
    public static bool IsValid(string name) => Pattern().IsMatch(name);

    public static void Require(string name)
    {
        if (!IsValid(name)) throw new ArgumentException($"'{name}' is not a template name", nameof(name));
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex Pattern();
}
