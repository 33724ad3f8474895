using Builder.Execution;
using Builder.Recipes;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.IntegrationTests.Pipeline;

/// <summary>
/// The same recipe on both backends gives the same file tree: path, type, mode, owner and content
/// of every entry. The recipe also plants symlinks that point out of the guest and writes through
/// them: on both backends the writes land in the image and never on the build host.
/// </summary>
public sealed class BackendEquivalenceTests : IDisposable
{
    private static readonly string Nonce = Guid.NewGuid().ToString("N")[..12];

    private static readonly string Recipe = $$"""
        template: templates/tiny.qcow2
        steps:
          - write: { path: /etc/motd, content: "same on both\n", mode: "0640" }
          - append-line: { path: /etc/hosts, line: "10.0.0.5 db" }
          - edit: { path: /etc/fstab, replace: 'defaults', with: 'defaults,noatime' }
          - upload: { from: files/app.conf, to: /etc/app.conf, mode: "0600" }
          - copy-in: { from: files/site, to: /srv/site }
          - mkdir: { path: /srv/app/data, mode: "0750" }
          - chmod: { path: /srv/app, mode: "2775" }
          - chown: { path: /srv/app/data, user: alice }
          - link: { target: /srv/app/data, link: /var/data }
          - write: { path: /var/data/through-link.txt, content: "through a link\n" }
          - link: { target: /, link: /etc/evil }
          - write: { path: /etc/evil/tmp/escape-{{Nonce}}, content: "must stay in the guest\n" }
          - link: { target: ../../../../tmp/host-file-{{Nonce}}, link: /etc/x }
          - write: { path: /etc/x, content: "must stay in the guest too\n" }
          - delete: /tmp/*.none
          - hostname: same.example.com
          - timezone: Europe/London
          - ssh-inject: { user: alice, key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEquivalenceEquivalenceEquivalence0000 alice" }
          - password: { user: root, hash: "$6$saltsalt$hashhashhash" }
        """;

    private readonly BuildWorkspace workspace = BuildWorkspace.Create("equivalence");

    public void Dispose()
    {
        workspace.Dispose();
        File.Delete($"/tmp/escape-{Nonce}");
        File.Delete($"/tmp/host-file-{Nonce}");
    }

    [Fact]
    public async Task Both_backends_build_the_same_tree_and_keep_writes_through_escaping_links_inside_the_guest()
    {
        workspace.Write("files/app.conf", "listen=8080\n");
        workspace.Write("files/site/index.html", "<p>site</p>\n");
        var recipePath = workspace.Write("recipe.yaml", Recipe);
        await using var services = new ServiceCollection().AddBuilder(workspace.Store).BuildServiceProvider();
        var recipe = services.GetRequiredService<RecipeLoader>().Load(recipePath).Recipe!;

        var trees = new Dictionary<BackendChoice, IReadOnlyList<string>>();
        foreach (var backend in new[] { BackendChoice.Appliance, BackendChoice.Host })
        {
            var output = workspace.Output($"{backend}.qcow2");
            var result = await services.GetRequiredService<IImageBuilder>().BuildAsync(recipe,
                new BuildOptions(OutputPath: output, Backend: backend), null, CancellationToken.None);
            Assert.True(result.Succeeded, $"{backend}: {result.Error?.Message} {string.Join("\n", result.Diagnostics)}");
            Assert.False(File.Exists($"/tmp/escape-{Nonce}"), $"{backend} wrote through /etc/evil onto the host");
            Assert.False(File.Exists($"/tmp/host-file-{Nonce}"), $"{backend} wrote through /etc/x onto the host");

            await using var image = await ImageReader.OpenAsync(output, "qcow2", Path.Combine(workspace.Path, "reader"));
            Assert.Equal("must stay in the guest\n", await image.TextAsync($"/tmp/escape-{Nonce}"));
            Assert.Equal("must stay in the guest too\n", await image.TextAsync($"/tmp/host-file-{Nonce}"));
            trees[backend] = await TreeManifest.ReadAsync(image, workspace.Path);
        }

        Assert.Equal(trees[BackendChoice.Appliance], trees[BackendChoice.Host]);
        Assert.Contains(trees[BackendChoice.Host], line => line.StartsWith("/srv/app/data 0750 1000:1000 d", StringComparison.Ordinal));
    }
}
