using Builder.Execution;
using Builder.Guests;
using Builder.IntegrationTests.Guestfs;
using Builder.Recipes;
using Builder.Templates;
using Builder.Templates.Building;
using Builder.Templates.Definitions;
using Builder.Templates.Repositories;
using Builder.Templates.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.IntegrationTests.Templates;

/// <summary>
/// A template built from a definition file records the key of the file's text; a build finds it
/// by that key without parsing the file, and an edited file is parsed and compared as before.
/// Run with a real store (qemu-img), and plans (allowBuild: false), so that a miss is an error
/// rather than a template build.
/// </summary>
public sealed class DefinitionTextKeyTests : IDisposable
{
    private static readonly TemplateMetadata Metadata = new("linux", "debian", "12", "x86_64", "/dev/sda1", "apt", "tiny");

    private readonly TestWorkspace workspace = TestWorkspace.Create("text-key");
    private readonly ServiceProvider services;
    private readonly string definitionFile;

    public DefinitionTextKeyTests()
    {
        services = new ServiceCollection().AddBuilder(workspace.File("store")).BuildServiceProvider();
        Directory.CreateDirectory(workspace.File("templates"));
        definitionFile = workspace.File("templates/keyed.yaml");
        var debian = File.ReadAllText(Path.Combine(Tools.RepositoryRoot, "templates", "debian-12.yaml"));
        File.WriteAllText(definitionFile, debian.Replace("name: debian-12", "name: keyed", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        services.Dispose();
        TemplateStore.DeleteTree(workspace.Path);
    }

    private Task<StoredTemplate> PublishAsync(string sourceKey, string? textKey) =>
        services.GetRequiredService<ITemplateStore>().PublishAsync("keyed", workspace.BuildTinyTemplate(), "qcow2", Metadata, sourceKey, "test",
            textKey, CancellationToken.None);

    private Task<ResolvedTemplate> ResolveAsync() =>
        services.GetRequiredService<TemplateResolver>().ResolveAsync(new TemplateReference("keyed", null, Diagnostics.SourceSpan.StartOf(definitionFile)), workspace.Path, allowBuild: false,
            RepositoryOptions.Default, new GuestSessionOptions(Accelerator.Auto, TimeSpan.FromMinutes(1), Trace: false), IBuildEvents.None,
            CancellationToken.None);

    [Fact]
    public async Task A_template_stored_with_the_files_text_key_is_used_without_comparing_the_parsed_definition()
    {
        // The source key is deliberately not this definition's: only the text key can match.
        var stored = await PublishAsync("definition:sha256:not-this-one", TemplateDefinitionLoader.TextKey(File.ReadAllText(definitionFile)));

        var resolved = await ResolveAsync();

        Assert.Equal(stored.ImagePath, resolved.Path);
    }

    [Fact]
    public async Task An_edited_file_is_parsed_again_and_its_definition_compared()
    {
        await PublishAsync("definition:sha256:not-this-one", TemplateDefinitionLoader.TextKey(File.ReadAllText(definitionFile)));
        File.AppendAllText(definitionFile, "# edited\n");

        var error = await Assert.ThrowsAsync<TemplateResolutionException>(ResolveAsync);

        Assert.Contains("not built yet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_template_stored_without_a_text_key_is_found_by_its_parsed_definition_which_records_the_key()
    {
        var (definition, _) = TemplateDefinitionLoader.Parse(File.ReadAllText(definitionFile), definitionFile, "keyed");
        var stored = await PublishAsync(TemplateBuilder.SourceKey(definition!), textKey: null);
        File.AppendAllText(definitionFile, "# a comment changes the text, not the definition\n");

        var resolved = await ResolveAsync();

        Assert.Equal(stored.ImagePath, resolved.Path);
        var recorded = services.GetRequiredService<ITemplateStore>().Find("keyed")!;
        Assert.Equal(TemplateDefinitionLoader.TextKey(File.ReadAllText(definitionFile)), recorded.TextKey);
        Assert.Equal((stored.Digest, stored.SourceKey, stored.Created), (recorded.Digest, recorded.SourceKey, recorded.Created));
    }
}
