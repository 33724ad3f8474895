namespace Builder.Storage;

/// <summary>
/// Where Builder keeps state between runs: <c>BUILDER_STORE</c>, else
/// <c>$XDG_CACHE_HOME/builder</c>, else <c>~/.cache/builder</c>.
/// </summary>
public static class BuilderDirectories
{
    public const string StoreVariable = "BUILDER_STORE";

    public static string Store(string? overridePath = null)
    {
        if (!string.IsNullOrEmpty(overridePath)) return Path.GetFullPath(overridePath);
        var fromEnvironment = Environment.GetEnvironmentVariable(StoreVariable);
        if (!string.IsNullOrEmpty(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var cacheRoot = !string.IsNullOrEmpty(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cacheRoot, "builder");
    }
}
