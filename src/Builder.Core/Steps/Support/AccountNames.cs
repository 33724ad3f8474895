using System.Text.RegularExpressions;

namespace Builder.Steps.Support;

/// <summary>What a user or group name (or numeric id) may look like (shadow-utils' rules, loosely).</summary>
internal static partial class AccountNames
{
    public static bool IsValid(string name) => Pattern().IsMatch(name);

    [GeneratedRegex("^([a-z_][a-z0-9_.-]{0,31}\\$?|[0-9]{1,10})$")]
    private static partial Regex Pattern();
}
