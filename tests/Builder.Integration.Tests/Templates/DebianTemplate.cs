using Builder.Execution;
using Builder.Guestfs;
using Builder.IntegrationTests.Guestfs;
using Builder.Templates.Building;
using Builder.Templates.Definitions;
using Builder.Templates.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.IntegrationTests.Templates;

/// <summary>
/// The debian-12 template, built once per test run from templates/debian-12.yaml with real
/// mmdebstrap (the Debian mirror is reachable) into a store of its own, and shared by the template
/// tests. Two collections use it, so that their classes run on both cores; the first to start builds
/// it, and the last to finish deletes it.
/// </summary>
public sealed class DebianTemplate : IAsyncLifetime
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Build? shared;
    private static int users;

    private Build? build;

    private Build Shared => build ?? throw new InvalidOperationException("the debian-12 template was not built");

    public string Store => Shared.Store;

    public StoredTemplate Template => Shared.Template;

    public List<BuildEvent> Events => Shared.Events;

    public TimeSpan BuildTime => Shared.BuildTime;

    internal ServiceProvider Services => Shared.Services;

    public async Task InitializeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            shared ??= await Build.RunAsync();
            users++;
            build = shared;
        }
        finally
        {
            Gate.Release();
        }
    }

    public async Task DisposeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (build is null || --users > 0) return;
            shared = null;
            await build.DisposeAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    private sealed class Build : IAsyncDisposable
    {
        public string Store { get; } = Directory.CreateTempSubdirectory("builder-store-").FullName;

        public StoredTemplate Template { get; private set; } = null!;

        public List<BuildEvent> Events { get; } = [];

        public TimeSpan BuildTime { get; private set; }

        public ServiceProvider Services { get; private set; } = null!;

        public static async Task<Build> RunAsync()
        {
            var build = new Build();
            build.Services = new ServiceCollection().AddBuilder(build.Store).BuildServiceProvider();
            var (definition, problems) = build.Services.GetRequiredService<TemplateDefinitions>().Find("debian-12", Tools.RepositoryRoot);
            Assert.True(definition is not null, string.Join("\n", problems));
            var started = DateTime.UtcNow;
            build.Template = await build.Services.GetRequiredService<TemplateBuilder>().BuildAsync(
                definition!, new BuildOptions().Session, new EventList(build.Events), CancellationToken.None);
            build.BuildTime = DateTime.UtcNow - started;
            return build;
        }

        public async ValueTask DisposeAsync()
        {
            await Services.DisposeAsync();
            TemplateStore.DeleteTree(Path.Combine(Store, "templates"));
            Directory.Delete(Store, recursive: true);
        }
    }

    private sealed class EventList(List<BuildEvent> events) : IBuildEvents
    {
        public void Emit(BuildEvent buildEvent)
        {
            lock (events) events.Add(buildEvent);
        }
    }
}

/// <summary>The template tests that build in the shared store, or stop, kill or clean up builds.</summary>
[CollectionDefinition(Name)]
public sealed class DebianTemplateCollection : ICollectionFixture<DebianTemplate>
{
    public const string Name = "debian-12 template";
}

/// <summary>
/// The template tests that build only in stores of their own (<see cref="Caching.LayerStoreCopy"/>),
/// so they run beside <see cref="DebianTemplateCollection"/>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DebianTemplateOwnStoresCollection : ICollectionFixture<DebianTemplate>
{
    public const string Name = "debian-12 template, stores of their own";
}
