using Builder.Execution;
using Builder.Guestfs;
using Builder.IntegrationTests.Guestfs;
using Builder.Templates.Building;
using Builder.Templates.Definitions;
using Builder.Templates.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.IntegrationTests.Templates;

/// <summary>
/// The debian-12 template, built once from templates/debian-12.yaml with real mmdebstrap (the
/// Debian mirror is reachable) into a store of its own, and shared by the template tests.
/// </summary>
public sealed class DebianTemplate : IAsyncLifetime
{
    public string Store { get; } = Directory.CreateTempSubdirectory("builder-store-").FullName;

    public StoredTemplate Template { get; private set; } = null!;

    public List<BuildEvent> Events { get; } = [];

    public TimeSpan BuildTime { get; private set; }

    internal ServiceProvider Services { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Services = new ServiceCollection().AddBuilder(Store).BuildServiceProvider();
        var (definition, problems) = Services.GetRequiredService<TemplateDefinitions>().Find("debian-12", Tools.RepositoryRoot);
        Assert.True(definition is not null, string.Join("\n", problems));
        var started = DateTime.UtcNow;
        Template = await Services.GetRequiredService<TemplateBuilder>().BuildAsync(
            definition!, new BuildOptions().Session, new EventList(Events), CancellationToken.None);
        BuildTime = DateTime.UtcNow - started;
    }

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        TemplateStore.DeleteTree(Path.Combine(Store, "templates"));
        Directory.Delete(Store, recursive: true);
    }

    private sealed class EventList(List<BuildEvent> events) : IBuildEvents
    {
        public void Emit(BuildEvent buildEvent)
        {
            lock (events) events.Add(buildEvent);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DebianTemplateCollection : ICollectionFixture<DebianTemplate>
{
    public const string Name = "debian-12 template";
}
