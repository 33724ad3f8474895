namespace Builder.Templates.Repositories.Sources;

/// <summary>
/// The repos.d folders whose <c>*.conf</c> files configure repositories, in the order they are read;
/// a repository [id] defined again in a later folder replaces the earlier definition.
/// </summary>
public sealed record RepositoryConfigFolders(IReadOnlyList<string> Folders)
{
    /// <summary>A folder of extra .conf files, read last (for tests and CI).</summary>
    public const string FolderVariable = "BUILDER_REPOS_D";

    public const string SystemFolder = "/etc/builder/repos.d";

    /// <summary>
    /// /etc/builder/repos.d, then $XDG_CONFIG_HOME/builder/repos.d (default ~/.config/builder/repos.d),
    /// then $BUILDER_REPOS_D when set.
    /// </summary>
    public static RepositoryConfigFolders FromEnvironment()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        var config = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        List<string> folders = [SystemFolder, Path.Combine(config, "builder", "repos.d")];
        var extra = Environment.GetEnvironmentVariable(FolderVariable);
        if (!string.IsNullOrEmpty(extra)) folders.Add(Path.GetFullPath(extra));
        return new RepositoryConfigFolders(folders);
    }

    /// <summary>The .conf files that exist, folder by folder, each folder's in name order.</summary>
    public IReadOnlyList<string> ConfigFiles() =>
        Folders.Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.conf").Order(StringComparer.Ordinal))
            .ToList();
}
