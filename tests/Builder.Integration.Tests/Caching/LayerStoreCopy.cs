using System.Text;
using Builder.Caching;
using Builder.Execution;
using Builder.Guests;
using Builder.IntegrationTests.Guestfs;
using Builder.IntegrationTests.Host;
using Builder.IntegrationTests.Templates;
using Builder.Recipes;
using Builder.Templates;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.IntegrationTests.Caching;

/// <summary>
/// A store of its own holding the shared debian-12 template (hard links, so nothing is copied)
/// and an empty layer cache, with recipes in a folder beside it, built through the library.
/// </summary>
internal sealed class LayerStoreCopy : IAsyncDisposable
{
    private readonly DebianTemplate debian;

    public LayerStoreCopy(DebianTemplate debian)
    {
        this.debian = debian;
        Folder = Directory.CreateTempSubdirectory("builder-layers-").FullName;
        Store = Path.Combine(Folder, "store");
        Directory.CreateDirectory(Store);
        foreach (var part in new[] { "templates", "refs" })
            Tools.Run("cp", "-al", Path.Combine(debian.Store, part), Path.Combine(Store, part));
        Services = new ServiceCollection().AddBuilder(Store).BuildServiceProvider();
    }

    public string Folder { get; }

    public string Store { get; }

    public ServiceProvider Services { get; }

    public LayerCache Cache => Services.GetRequiredService<LayerStore>().For("host");

    public LayerCache ApplianceCache => Services.GetRequiredService<LayerStore>().For("appliance");

    /// <summary>The template image this store resolves debian-12 to (a hard link to the shared one).</summary>
    public string TemplateImage => debian.Template.ImagePath.Replace(debian.Store, Store);

    public string Write(string name, string content)
    {
        var path = Path.Combine(Folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Writes recipes/NAME.yaml on debian-12 with these steps, output out/NAME.qcow2.</summary>
    public string Recipe(string name, string steps, string output = "") =>
        Write($"recipes/{name}.yaml", $"name: {name}\ntemplate: debian-12\noutput: {{ path: ../out/{name}.qcow2 {output}}}\nsteps:\n{steps}");

    public Recipe Load(string path)
    {
        var loaded = Services.GetRequiredService<RecipeLoader>().Load(path);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
        return loaded.Recipe!;
    }

    public async Task<(BuildResult Result, List<BuildEvent> Events)> BuildAsync(string recipePath, BackendChoice backend = BackendChoice.Host)
    {
        var events = new List<BuildEvent>();
        var result = await Services.GetRequiredService<IImageBuilder>().BuildAsync(Load(recipePath), new BuildOptions(Backend: backend),
            new Collect(events), CancellationToken.None);
        Assert.True(result.Succeeded, result.Error?.Message + "\n" + result.Error?.Hint + "\n" + string.Join("\n", result.Diagnostics));
        return (result, events);
    }

    public async Task<(IReadOnlyList<BuildResult> Results, Dictionary<string, List<BuildEvent>> Events)> BuildAllAsync(params string[] recipePaths)
    {
        var events = recipePaths.ToDictionary(p => Path.GetFileNameWithoutExtension(p), _ => new List<BuildEvent>());
        var results = await Services.GetRequiredService<IImageBuilder>().BuildAllAsync(recipePaths.Select(Load).ToList(),
            new BuildOptions(Backend: BackendChoice.Host, Jobs: 2), recipe => new Collect(events[recipe.Name]), CancellationToken.None);
        return (results, events);
    }

    /// <summary>Reads files of a built image through the host backend, on a throwaway overlay.</summary>
    public async Task<T> ReadAsync<T>(string image, Func<IGuest, Task<T>> read)
    {
        var overlay = Path.Combine(Folder, $"read-{Guid.NewGuid():N}.qcow2");
        Tools.Run("qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", image, overlay);
        var layout = ResolvedTemplate.From("debian-12", debian.Template).Layout();
        var guest = await HostTools.Backend(Store).OpenAsync(new GuestDisk(overlay, "qcow2", layout), HostTools.Options(),
            new RecordingEvents(), CancellationToken.None);
        try
        {
            return await read(guest);
        }
        finally
        {
            await guest.DisposeAsync();
            File.Delete(overlay);
        }
    }

    public Task<string> TextAsync(string image, string path) =>
        ReadAsync(image, async guest => Encoding.UTF8.GetString(await guest.ReadFileAsync(path)));

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Builder.Templates.Store.TemplateStore.DeleteTree(Folder);
    }

    public static IReadOnlyList<string> LayerStates(IEnumerable<BuildEvent> events) =>
        events.OfType<LayerStarted>().Select(l => l.Cache).ToList();

    public static IReadOnlyList<int> StepsRun(IEnumerable<BuildEvent> events) =>
        events.OfType<StepStarted>().Select(s => s.Number).ToList();

    private sealed class Collect(List<BuildEvent> events) : IProgress<BuildEvent>
    {
        public void Report(BuildEvent value)
        {
            lock (events) events.Add(value);
        }
    }
}
