using Builder.DependencyInjection;
using Builder.Templates.Repositories;
using Builder.Templates.Repositories.Downloads;
using Builder.Templates.Repositories.Publishing;
using Builder.Templates.Repositories.Sources;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.Tests.Templates.Repositories;

public sealed class RepositoryServicesTests
{
    [Fact]
    public void Registers_repositories_once_and_keeps_the_callers_own_folders_and_limits()
    {
        var folders = new RepositoryConfigFolders(["/nowhere/repos.d"]);
        var settings = DownloadSettings.Default with { StallTimeout = TimeSpan.FromSeconds(1) };
        var collection = new ServiceCollection().AddSingleton(folders).AddSingleton(settings)
            .AddBuilderCore(Path.GetTempPath()).AddTemplateRepositories().AddTemplateRepositories();

        using var services = collection.BuildServiceProvider();

        Assert.Single(collection, d => d.ServiceType == typeof(ITemplateRepositories));
        Assert.IsType<TemplateRepositories>(services.GetRequiredService<ITemplateRepositories>());
        Assert.NotNull(services.GetRequiredService<RepositoryPublisher>());
        Assert.Same(folders, services.GetRequiredService<RepositoryConfigFolders>());
        Assert.Same(settings, services.GetRequiredService<DownloadSettings>());
    }
}
