using System.Text.Json;
using Builder.Execution;
using Builder.Guestfs;
using Builder.Recipes;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.IntegrationTests.Pipeline;

/// <summary>
/// One build of a recipe that uses every file step kind, made the way a CI pipeline makes it
/// (services.AddBuilder(), then IImageBuilder.BuildAsync) on one backend, and one read-only session
/// on its output. Shared by the tests of <see cref="EveryStepBuildTests{TBuild}"/>.
/// </summary>
public abstract class EveryStepBuild(BackendChoice backend) : IAsyncLifetime
{
    public BackendChoice Backend { get; } = backend;

    /// <summary>One per backend: the fixtures of both run at once, and the environment is the process's.</summary>
    public string SecretVariable => $"BUILDER_IT_ROOT_PASSWORD_{Backend.ToString().ToUpperInvariant()}";

    public const string Recipe = """
        name: every-step
        template: templates/tiny.qcow2
        size: 512M
        output: { path: out/every-step.qcow2 }
        steps:
          - write: { path: /etc/motd, content: "built by builder\n", mode: "0640" }
          - append-line: { path: /etc/hosts, line: "10.0.0.5 db" }
          - edit: { path: /etc/fstab, replace: 'defaults', with: 'defaults,noatime' }
          - upload: { from: files/app.conf, to: /etc/app.conf, mode: "0600" }
          - mkdir: { path: /srv/app/data, mode: "0750" }
          - write: { path: /srv/app/scratch.tmp, content: "to be deleted" }
          - delete: /srv/app/*.tmp
          - chmod: { path: /srv/app, mode: "2775" }
          - chown: { path: /srv/app/data, user: alice }
          - password: { user: root, from-env: BUILDER_IT_ROOT_PASSWORD }
          - link: { target: /srv/app/data, link: /var/data }
          - write: { path: /var/data/through-link.txt, content: "written through an absolute link\n" }
          - hostname: web1.example.com
          - timezone: Europe/London
          - password: { user: alice, random: true, save-to: secrets/alice-password }
          - ssh-inject: { user: alice, key-file: keys/alice.pub }
        """;

    public const string PublicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIntegrationTestKeyIntegrationTestKey0000 alice@test";

    internal BuildWorkspace Workspace { get; private set; } = null!;

    public string RootPassword { get; } = "root-" + Guid.NewGuid().ToString("N");

    public BuildResult Result { get; private set; } = null!;

    public List<BuildEvent> Events { get; } = [];

    internal ImageReader Image { get; private set; } = null!;

    public string OutputPath => Workspace.Output("every-step.qcow2");

    public async Task InitializeAsync()
    {
        Workspace = BuildWorkspace.Create("every-step");
        Workspace.Write("files/app.conf", "listen=8080\n");
        Workspace.Write("keys/alice.pub", PublicKey + "\n");
        var recipePath = Workspace.Write("recipe.yaml", Recipe.Replace("BUILDER_IT_ROOT_PASSWORD", SecretVariable));

        Environment.SetEnvironmentVariable(SecretVariable, RootPassword);
        try
        {
            // The caller's registrations win over AddBuilder's: here, a probe caching in this test's own store.
            await using var services = new ServiceCollection()
                .AddSingleton<IAcceleratorProbe>(new AcceleratorProbe(Workspace.Store))
                .AddBuilder()
                .BuildServiceProvider();
            var loaded = services.GetRequiredService<RecipeLoader>().Load(recipePath);
            Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
            var progress = new SynchronousProgress(Events);
            Result = await services.GetRequiredService<IImageBuilder>()
                .BuildAsync(loaded.Recipe!, new BuildOptions(Trace: true, Backend: Backend), progress, CancellationToken.None);
        }
        finally
        {
            Environment.SetEnvironmentVariable(SecretVariable, null);
        }

        if (Result.Succeeded) Image = await ImageReader.OpenAsync(OutputPath, "qcow2", Path.Combine(Workspace.Path, "reader"));
    }

    /// <summary>Every event as the JSON and text a log could hold.</summary>
    public string EventLog() =>
        string.Join("\n", Events.Select(e => JsonSerializer.Serialize(e) + "\n" + e));

    public async Task DisposeAsync()
    {
        if (Image is not null) await Image.DisposeAsync();
        Workspace.Dispose();
    }

    private sealed class SynchronousProgress(List<BuildEvent> events) : IProgress<BuildEvent>
    {
        public void Report(BuildEvent value)
        {
            lock (events) events.Add(value);
        }
    }
}

public sealed class ApplianceEveryStepBuild() : EveryStepBuild(BackendChoice.Appliance);

public sealed class HostEveryStepBuild() : EveryStepBuild(BackendChoice.Host);
