using Builder.Guests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Builder.Host;

public static class HostServiceCollectionExtensions
{
    /// <summary>Registers the host backend beside any other backend, and its maintenance (stale mounts, loops, exports). Idempotent.</summary>
    public static IServiceCollection AddHostBackend(this IServiceCollection services)
    {
        services.TryAddSingleton<HostBackend>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGuestBackend, HostBackend>(p => p.GetRequiredService<HostBackend>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IBackendMaintenance, HostBackend>(p => p.GetRequiredService<HostBackend>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Reproducibility.IImageSealer, Sealing.HostImageSealer>());
        return services;
    }
}
