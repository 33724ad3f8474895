using Builder.Guests;
using Builder.Storage;
using Builder.Templates.Building;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Builder.Guestfs;

public static class GuestfsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the libguestfs backend as an <see cref="IGuestBackend"/> (alongside any other backend)
    /// and the accelerator probe. Idempotent. Expects <c>ResiliencePipelineProvider&lt;string&gt;</c>
    /// and <see cref="TimeProvider"/> from the composition root.
    /// </summary>
    public static IServiceCollection AddGuestfsBackend(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<AcceleratorProbe>(provider => new AcceleratorProbe(provider.GetService<StoreLocation>()?.Root));
        services.TryAddSingleton<IAcceleratorProbe>(provider => provider.GetRequiredService<AcceleratorProbe>());
        services.TryAddSingleton<GuestfsBackend>();
        services.TryAddSingleton<IBootloaderInstaller, GuestfsBootloaderInstaller>();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IGuestBackend, GuestfsBackend>(provider => provider.GetRequiredService<GuestfsBackend>()));
        return services;
    }
}
