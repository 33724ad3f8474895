using Builder.Templates.Repositories.Downloads;
using Builder.Templates.Repositories.Publishing;
using Builder.Templates.Repositories.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Builder.Templates.Repositories;

public static class RepositoryServiceCollectionExtensions
{
    /// <summary>
    /// Registers virt-builder repository support: <see cref="ITemplateRepositories"/> (list and pull)
    /// and <see cref="RepositoryPublisher"/>, with the repos.d folders from the environment and the
    /// default download limits. Idempotent; everything is TryAdd, so a caller's own registrations
    /// (other repos.d folders, other limits) win. Needs the core's ITemplateStore, IDiskImages,
    /// TimeProvider and ResiliencePipelineProvider&lt;string&gt; (AddBuilderCore registers them).
    /// </summary>
    public static IServiceCollection AddTemplateRepositories(this IServiceCollection services)
    {
        services.TryAddSingleton(_ => RepositoryConfigFolders.FromEnvironment());
        services.TryAddSingleton(DownloadSettings.Default);
        services.TryAddSingleton<RepositoryHttp>();
        services.TryAddSingleton<TemplateDownloader>();
        services.TryAddSingleton<IndexReader>();
        services.TryAddSingleton<ITemplateRepositories, TemplateRepositories>();
        services.TryAddSingleton<RepositoryPublisher>();
        return services;
    }
}
