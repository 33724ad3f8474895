using Builder.Execution;
using Builder.Guests;
using Builder.Host;
using Builder.IntegrationTests.Guestfs;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.IntegrationTests.Host;

public sealed class HostAvailabilityTests
{
    private static GuestLayout Layout(string architecture) =>
        new(new GuestInfo("linux", "debian", 12, 0, "apt", "/dev/sda1", architecture), [new GuestMount("/", "/dev/sda1")]);

    [Fact]
    public void Is_available_here_as_root_with_loop_and_fuse_for_a_guest_of_the_host_architecture()
    {
        var backend = HostTools.Backend(Path.GetTempPath());

        Assert.Equal(new BackendAvailability(true, "running as root with loop and FUSE devices; x86_64 guest on an x86_64 host"), backend.Availability(Layout("x86_64")));
        Assert.Equal(new BackendAvailability(true, "running as root with loop and FUSE devices; x86_64 guest on an x86_64 host"), backend.Availability(Layout("amd64")));
        Assert.True(backend.Availability(null).Available);
        Assert.Contains("checked when it is inspected", backend.Availability(null).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Is_not_available_for_a_guest_of_another_architecture_and_says_why()
    {
        var availability = HostTools.Backend(Path.GetTempPath()).Availability(Layout("aarch64"));

        Assert.Equal(new BackendAvailability(false, "the guest is aarch64 but the host is x86_64"), availability);
    }

    [Fact]
    public void AddBuilder_registers_one_host_backend_for_building_and_for_maintenance_and_auto_prefers_it_here()
    {
        var store = Directory.CreateTempSubdirectory("builder-host-di-").FullName;
        try
        {
            using var provider = new ServiceCollection().AddBuilder(store).AddBuilder(store).BuildServiceProvider();

            var host = Assert.Single(provider.GetServices<IGuestBackend>(), b => b.Name == "host");
            Assert.Same(provider.GetRequiredService<HostBackend>(), host);
            Assert.Same(host, Assert.Single(provider.GetServices<IBackendMaintenance>()));
            var selector = provider.GetRequiredService<BackendSelector>();
            Assert.Equal("host", selector.Choose(null, null, Layout("x86_64")).Name);
            Assert.Equal("appliance", selector.Choose(null, null, Layout("aarch64")).Name);
            Assert.Empty(((IBackendMaintenance)host).FindStale());
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }
    }
}
