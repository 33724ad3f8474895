namespace Builder.Host.Files;

/// <summary>
/// An absolute guest path split into its parent and its last name, for the *at calls. The name is
/// never "." or ".." (those resolve to a directory that only the rooted resolver may name: a
/// ".." handed to an *at call on the root's fd would leave the guest), so such paths have no name.
/// </summary>
internal readonly record struct GuestPathParts(string Parent, string? Name)
{
    public static GuestPathParts Of(string path)
    {
        Validate(path);
        var trimmed = path.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        if (slash < 0) return new GuestPathParts("/", null);
        var name = trimmed[(slash + 1)..];
        var parent = slash == 0 ? "/" : trimmed[..slash];
        return name is "" or "." or ".." ? new GuestPathParts(path, null) : new GuestPathParts(parent, name);
    }

    /// <summary>Absolute, without NUL: anything else is not a guest path.</summary>
    public static void Validate(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!path.StartsWith('/')) throw new ArgumentException($"'{path}' is not an absolute guest path", nameof(path));
        if (path.Contains('\0', StringComparison.Ordinal)) throw new ArgumentException("a guest path cannot contain NUL", nameof(path));
    }

    /// <summary>The path's components, without empty ones and ".", in order.</summary>
    public static string[] Components(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(c => c != ".").ToArray();
}
