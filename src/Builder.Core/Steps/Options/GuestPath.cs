namespace Builder.Steps.Options;

/// <summary>An absolute path inside the guest.</summary>
public sealed record GuestPath(string Value)
{
    public override string ToString() => Value;

    public static implicit operator string(GuestPath path) => path.Value;

    /// <summary>Null when valid, else why not.</summary>
    public static string? Problem(string value, bool allowGlob)
    {
        if (value.Length == 0) return "the path is empty";
        if (value[0] != '/') return "the path must be absolute (start with '/')";
        if (value.Contains('\0')) return "the path contains a NUL character";
        if (!allowGlob && value.IndexOfAny(['*', '?', '[']) >= 0) return "the path contains glob characters; only delete takes a glob";
        return null;
    }
}

/// <summary>An absolute guest path that may hold shell glob characters (*, ?, [..]).</summary>
public sealed record GuestGlob(string Value)
{
    public override string ToString() => Value;
}
