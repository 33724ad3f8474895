using Builder.Execution;
using Builder.Recipes;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.IntegrationTests.Templates;

/// <summary>A recipe built on the shared debian-12 template through the library, in a folder of its own.</summary>
internal sealed class RecipeRun : IDisposable
{
    private RecipeRun(string folder) => Folder = folder;

    public string Folder { get; }

    public BuildResult Result { get; private set; } = null!;

    public List<BuildEvent> Events { get; } = [];

    public string Log => File.ReadAllText(Path.Combine(Folder, "out", "image.qcow2.build.log"));

    public string Output => Path.Combine(Folder, "out", "image.qcow2");

    /// <param name="size">The recipe's size ("4G": the disk grows to it), or null for none.</param>
    public static async Task<RecipeRun> BuildAsync(DebianTemplate debian, BackendChoice backend, string steps, Action<string>? prepare = null,
        IReadOnlyDictionary<string, string>? environment = null, string? size = null)
    {
        var run = new RecipeRun(Directory.CreateTempSubdirectory("builder-recipe-").FullName);
        prepare?.Invoke(run.Folder);
        var recipe = Path.Combine(run.Folder, "recipe.yaml");
        var sizeLine = size is null ? "" : $"size: {size}\n";
        await File.WriteAllTextAsync(recipe, $"template: debian-12\n{sizeLine}output: {{ path: out/image.qcow2 }}\nsteps:\n" + steps);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) Environment.SetEnvironmentVariable(name, value);
        try
        {
            var loaded = debian.Services.GetRequiredService<RecipeLoader>().Load(recipe);
            Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
            var progress = new Collect(run.Events);
            run.Result = await debian.Services.GetRequiredService<IImageBuilder>().BuildAsync(loaded.Recipe!, new BuildOptions(Backend: backend), progress, CancellationToken.None);
        }
        finally
        {
            foreach (var name in environment?.Keys ?? []) Environment.SetEnvironmentVariable(name, null);
        }
        return run;
    }

    public IReadOnlyList<string> OutputEntries() =>
        Directory.EnumerateFileSystemEntries(Path.Combine(Folder, "out")).Select(Path.GetFileName).Order().ToList()!;

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private sealed class Collect(List<BuildEvent> events) : IProgress<BuildEvent>
    {
        public void Report(BuildEvent value)
        {
            lock (events) events.Add(value);
        }
    }
}
