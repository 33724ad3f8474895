using Builder.Guestfs;
using Builder.Guests;
using Microsoft.Extensions.DependencyInjection;
using Polly.Registry;

namespace Builder.IntegrationTests.Guestfs;

public sealed class GuestfsServiceCollectionTests
{
    [Fact]
    public void Adding_the_backend_twice_registers_one_appliance_backend_and_one_probe()
    {
        var services = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddSingleton(Tools.Pipelines());

        services.AddGuestfsBackend().AddGuestfsBackend();
        using var provider = services.BuildServiceProvider();

        var backend = Assert.Single(provider.GetServices<IGuestBackend>());
        Assert.Equal("appliance", backend.Name);
        Assert.Same(provider.GetRequiredService<GuestfsBackend>(), backend);
        Assert.Same(provider.GetRequiredService<AcceleratorProbe>(), provider.GetRequiredService<IAcceleratorProbe>());
    }
}
