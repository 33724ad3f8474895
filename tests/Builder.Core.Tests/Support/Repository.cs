namespace Builder.Tests.Support;

/// <summary>Files of this repository, found from the test binaries by walking up to Builder.sln.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Builder.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException("Builder.sln not found above " + AppContext.BaseDirectory);
    }
}
