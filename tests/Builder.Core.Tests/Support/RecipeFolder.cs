using Builder.Recipes;
using Builder.Steps;

namespace Builder.Tests.Support;

/// <summary>A temporary folder holding a recipe, its template file and its local inputs.</summary>
public sealed class RecipeFolder : IDisposable
{
    public RecipeFolder()
    {
        Path = Directory.CreateTempSubdirectory("builder-test-").FullName;
        // The loader only needs the template to exist and the planner to hash it; no image is opened.
        Write("base.qcow2", "not really a disk image");
    }

    public string Path { get; }

    public string Write(string relativePath, string content)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    /// <summary>Parses recipe text as if it were the file "recipe.yaml" in this folder.</summary>
    public RecipeLoadResult Parse(string yaml) =>
        new RecipeLoader(StepRegistry.BuiltIn).Parse(yaml, "recipe.yaml", Path);

    public Recipe Load(string yaml)
    {
        var result = Parse(yaml);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.Recipe!;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
