using Builder.Execution;
using Builder.Images;
using Builder.Planning;
using Builder.Recipes;
using Builder.Resilience;
using Builder.Secrets;
using Builder.Steps;
using Builder.Storage;
using Builder.Templates;
using Builder.Templates.Building;
using Builder.Templates.Definitions;
using Builder.Templates.Repositories;
using Builder.Templates.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Polly.Registry;

namespace Builder.DependencyInjection;

public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the managed core: step registry, recipe loader, planner, qemu-img, secrets, the
    /// image builder and the named Polly pipelines. Idempotent; everything is TryAdd, so a caller's
    /// own registrations win. A guest backend and a password hasher must be added too (AddBuilder does).
    /// </summary>
    /// <param name="store">The store folder; BUILDER_STORE or ~/.cache/builder when null.</param>
    public static IServiceCollection AddBuilderCore(this IServiceCollection services, string? store = null)
    {
        services.TryAddSingleton(StoreLocation.Resolve(store));
        services.TryAddSingleton<ITemplateStore, TemplateStore>();
        services.TryAddSingleton<TemplateDefinitions>();
        services.TryAddSingleton<TemplateBuilder>();
        services.TryAddSingleton<TemplateResolver>();
        services.TryAddSingleton<Caching.LayerStore>();
        services.TryAddSingleton<Caching.BuildHistory>();
        services.TryAddSingleton<Caching.LayerPruner>();
        services.AddTemplateRepositories();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(StepRegistry.BuiltIn);
        services.TryAddSingleton<RecipeLoader>();
        services.TryAddSingleton<IFileDigests, FileDigests>();
        services.TryAddSingleton<Planner>();
        services.TryAddSingleton(_ => new Reproducibility.SourceDateResolver());
        services.TryAddSingleton<Reproducibility.ImageTreeReader>();
        services.TryAddSingleton<IDiskImages, QemuImg>();
        services.TryAddSingleton<ISecretReader, EnvironmentSecretReader>();
        services.TryAddSingleton<BackendSelector>();
        services.TryAddSingleton<IImageBuilder, ImageBuilder>();
        services.TryAddSingleton(_ =>
        {
            var registry = new ResiliencePipelineRegistry<string>();
            ResiliencePipelines.Configure(registry);
            return registry;
        });
        services.TryAddSingleton<ResiliencePipelineProvider<string>>(provider => provider.GetRequiredService<ResiliencePipelineRegistry<string>>());
        return services;
    }
}
