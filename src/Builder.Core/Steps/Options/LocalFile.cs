namespace Builder.Steps.Options;

/// <summary>
/// A file on the build host, written relative to the recipe. Its bytes are an input of the step:
/// they are hashed into the step's id.
/// </summary>
/// <param name="Path">As written in the recipe; this is what plans and ids show.</param>
/// <param name="FullPath">Resolved against the recipe's folder.</param>
public sealed record LocalFile(string Path, string FullPath)
{
    public override string ToString() => Path;
}

/// <summary>
/// A file on the build host that holds a secret (a password). It is read only when the step runs;
/// its bytes are never hashed into ids, logged or planned: only its path is.
/// </summary>
public sealed record SecretFile(string Path, string FullPath)
{
    public override string ToString() => Path;
}

/// <summary>The name of an environment variable that holds a secret. Ids and plans hold the name only.</summary>
public sealed record SecretVariable(string Name)
{
    public override string ToString() => Name;
}

/// <summary>A file on the build host that a step writes (relative to the recipe); it need not exist.</summary>
public sealed record HostOutputFile(string Path, string FullPath)
{
    public override string ToString() => Path;
}

/// <summary>A folder on the build host, written relative to the recipe. Its tree (names, modes, contents) is an input of the step.</summary>
public sealed record LocalFolder(string Path, string FullPath)
{
    public override string ToString() => Path;
}
