using Builder.Crypt;
using Builder.DependencyInjection;
using Builder.Guestfs;
using Builder.Host;
using Builder.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Builder;

public static class BuilderServiceCollectionExtensions
{
    /// <summary>
    /// Everything a build needs: the core (recipes, planner, executor, qemu-img), the libguestfs
    /// and host backends and the libcrypt password hasher. Idempotent; a caller's own registrations win.
    /// Then resolve <see cref="Execution.IImageBuilder"/> and call BuildAsync.
    /// </summary>
    /// <param name="store">The store folder (templates, caches); BUILDER_STORE or ~/.cache/builder when null.</param>
    public static IServiceCollection AddBuilder(this IServiceCollection services, string? store = null)
    {
        services.AddBuilderCore(store);
        services.AddGuestfsBackend();
        services.AddHostBackend();
        services.TryAddSingleton<IPasswordHasher, LibCryptPasswordHasher>();
        return services;
    }
}
