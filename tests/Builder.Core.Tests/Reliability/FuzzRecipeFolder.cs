using Builder.Tests.Support;

namespace Builder.Tests.Reliability;

/// <summary>
/// The folder fuzzed recipes load from: the template file, every input the seeds name, and
/// symlinks that lead out of it (to a file, to a folder) or nowhere (a loop).
/// </summary>
public sealed class FuzzRecipeFolder : IDisposable
{
    private readonly RecipeFolder folder = new();

    public FuzzRecipeFolder()
    {
        Examples.WriteInputs(folder);
        foreach (var input in Directory.EnumerateFiles(Repository.PathOf("recipes"), "*", SearchOption.AllDirectories))
        {
            var relative = System.IO.Path.GetRelativePath(Repository.PathOf("recipes"), input);
            if (!relative.EndsWith(".yaml", StringComparison.Ordinal)) folder.Write(relative, File.ReadAllText(input));
        }
        File.CreateSymbolicLink(System.IO.Path.Combine(Path, "files", "escape"), "/etc/hostname");
        Directory.CreateSymbolicLink(System.IO.Path.Combine(Path, "files", "escape-folder"), "/etc");
        File.CreateSymbolicLink(System.IO.Path.Combine(Path, "files", "loop"), "loop");
    }

    public string Path => folder.Path;

    public void Dispose() => folder.Dispose();
}
