using System.Text.Json.Nodes;
using Builder.Execution;
using Builder.IntegrationTests.Caching;
using Builder.IntegrationTests.Guestfs;
using Builder.IntegrationTests.Templates;
using Builder.Reproducibility;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Reproducibility;

/// <summary>
/// output.reproducible on real debian-12 builds: the same recipe built in two stores (each with an
/// empty layer cache) gives the same output and manifest, byte for byte, on either backend, with
/// packages too; the sealed image holds what the steps wrote, passes e2fsck, has no time after the
/// source date, and boots. The template is never written.
/// </summary>
[Collection(DebianTemplateCollection.Name)]
public sealed class SealTests(DebianTemplate debian, ITestOutputHelper output) : IAsyncLifetime
{
    private const long SourceDate = 1_700_000_000;
    private const string PasswordVariable = "BUILDER_SEAL_TEST_PASSWORD";

    private const string FileSteps = $$"""
          - hostname: sealed.example.com
          - write: { path: /etc/motd, content: "sealed\n" }
          - mkdir: { path: /srv/app, mode: "0750" }
          - upload: { from: index.html, to: /srv/app/index.html }
          - link: { target: /srv/app, link: /var/www }
          - password: { user: root, from-env: {{PasswordVariable}} }
        """;

    private LayerStoreCopy first = null!;
    private LayerStoreCopy second = null!;

    public Task InitializeAsync()
    {
        first = new LayerStoreCopy(debian);
        second = new LayerStoreCopy(debian);
        Environment.SetEnvironmentVariable(PasswordVariable, "correct horse battery staple");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable(PasswordVariable, null);
        await first.DisposeAsync();
        await second.DisposeAsync();
    }

    private static string Recipe(LayerStoreCopy store, string name, string steps)
    {
        store.Write("recipes/index.html", "<h1>sealed</h1>\n");
        return store.Write($"recipes/{name}.yaml",
            $"name: {name}\ntemplate: debian-12\nsource-date-epoch: {SourceDate}\noutput: {{ path: ../out/{name}.qcow2, reproducible: true }}\nsteps:\n{steps}");
    }

    [Fact]
    public async Task A_file_only_recipe_gives_the_same_bytes_in_two_stores_and_on_both_backends_and_boots()
    {
        var template = Tools.Sha256(debian.Template.ImagePath);

        var (one, events) = await first.BuildAsync(Recipe(first, "files", FileSteps));
        var (two, _) = await second.BuildAsync(Recipe(second, "files", FileSteps));
        var (appliance, _) = await second.BuildAsync(Recipe(second, "files-appliance", FileSteps), BackendChoice.Appliance);

        Assert.Contains(events, e => e is PhaseStarted { Phase: "seal" });
        Assert.Equal(Tools.Sha256(one.OutputPath!), Tools.Sha256(two.OutputPath!));
        Assert.Equal(Tools.Sha256(one.OutputPath! + ".manifest.json"), Tools.Sha256(two.OutputPath! + ".manifest.json"));
        Assert.Equal(Tools.Sha256(one.OutputPath!), Tools.Sha256(appliance.OutputPath!));
        Assert.Equal(template, Tools.Sha256(debian.Template.ImagePath));

        Assert.Equal("sealed\n", await first.TextAsync(one.OutputPath!, "/etc/motd"));
        Assert.Equal("<h1>sealed</h1>\n", await first.TextAsync(one.OutputPath!, "/srv/app/index.html"));
        var tree = await first.ReadAsync(one.OutputPath!, async guest => await guest.TreeAsync());
        Assert.True(tree.Count > 10_000, $"{tree.Count} entries");
        Assert.All(tree, e => Assert.True(e.Modified <= SourceDate, $"{e.Path} has mtime {e.Modified}"));
        Assert.Contains(tree, e => e.Path == "/etc/motd" && e.Modified == SourceDate);
        Assert.DoesNotContain(tree, e => e.Path is "/var/log/dpkg.log" or "/var/cache/ldconfig/aux-cache");

        var raw = Path.Combine(first.Folder, "sealed.raw");
        Tools.Run("qemu-img", "convert", "-O", "raw", one.OutputPath!, raw);
        var (code, fsck, errors) = Tools.Exec(null, "e2fsck", "-f", "-n", raw + "?offset=1048576");
        Assert.True(code == 0, fsck + errors);
        File.Delete(raw);

        using var vm = SerialConsoleVm.Boot(one.OutputPath!, "qcow2");
        await vm.WaitForAsync("sealed login:", TimeSpan.FromMinutes(4));
    }

    [Fact]
    public async Task A_package_recipe_gives_the_same_bytes_in_two_stores()
    {
        const string steps = "  - install: [curl, jq]\n  - write: { path: /etc/motd, content: \"packages\\n\" }\n";

        var (one, _) = await first.BuildAsync(Recipe(first, "packages", steps));
        var (two, _) = await second.BuildAsync(Recipe(second, "packages", steps));

        var manifest = (JsonObject)JsonNode.Parse(File.ReadAllText(one.OutputPath! + ".manifest.json"))!;
        Assert.Contains(manifest["packages"]!.AsArray(), p => (string)p!["name"]! == "jq");
        if (Tools.Sha256(one.OutputPath!) != Tools.Sha256(two.OutputPath!))
        {
            // What differs, for whoever reads a failure: the file trees, with modification times.
            var a = await first.ReadAsync(one.OutputPath!, async guest => await guest.TreeAsync());
            var b = await first.ReadAsync(two.OutputPath!, async guest => await guest.TreeAsync());
            foreach (var entry in TreeDiff.Compare(a, b, mtimes: true).Entries.Take(50)) output.WriteLine(entry.Text);
        }
        Assert.Equal(Tools.Sha256(one.OutputPath!), Tools.Sha256(two.OutputPath!));
        Assert.Equal(Tools.Sha256(one.OutputPath! + ".manifest.json"), Tools.Sha256(two.OutputPath! + ".manifest.json"));
    }

    [Fact]
    public async Task A_reproducible_output_without_a_source_date_is_refused_before_anything_is_built()
    {
        var recipe = first.Write("recipes/undated.yaml",
            "name: undated\ntemplate: debian-12\noutput: { path: ../out/undated.qcow2, reproducible: true }\nsteps:\n  - write: { path: /x, content: x }\n");
        var previous = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        Environment.SetEnvironmentVariable("SOURCE_DATE_EPOCH", null);
        try
        {
            var result = await first.Services.GetRequiredService<IImageBuilder>().BuildAsync(first.Load(recipe), new BuildOptions(Backend: BackendChoice.Host),
                new Progress<BuildEvent>(), CancellationToken.None);

            Assert.Equal(BuildOutcome.Invalid, result.Outcome);
            var problem = Assert.Single(result.Diagnostics);
            Assert.Equal(".output.reproducible", problem.Path);
            Assert.Contains("source date", problem.Message);
            Assert.False(File.Exists(Path.Combine(first.Folder, "out", "undated.qcow2")));
        }
        finally
        {
            Environment.SetEnvironmentVariable("SOURCE_DATE_EPOCH", previous);
        }
    }
}
