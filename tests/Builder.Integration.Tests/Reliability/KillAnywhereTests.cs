using Builder.IntegrationTests.Caching;
using Builder.IntegrationTests.Guestfs;
using Builder.IntegrationTests.Templates;
using Xunit.Abstractions;
using static Builder.IntegrationTests.Reliability.KillPoint;

namespace Builder.IntegrationTests.Reliability;

/// <summary>
/// Kill anywhere: a recipe (file steps, an install, a script) is built again and again, each
/// `builder build` stopped at the next point of the build, from start-up to the checksum of the
/// output, with SIGKILL (and a few with SIGINT or SIGTERM, which must stop it within 10 s). After
/// every stop: the template is unchanged, nothing is at the output path and no work area of a dead
/// build is left beside it once the next build ran, and after `builder doctor --clean` no mount,
/// loop device or qemu process of the store is left. Every build reuses the layers the killed ones
/// published, and the last one, run to the end, reuses all of them and gives a sound image.
/// </summary>
[Collection(DebianTemplateCollection.Name)]
public sealed class KillAnywhereTests(DebianTemplate debian, ITestOutputHelper log) : IAsyncLifetime
{
    private LayerStoreCopy store = null!;

    public Task InitializeAsync()
    {
        store = new LayerStoreCopy(debian);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    /// <summary>Layer 1: two file steps and the install; layer 2: a file step and the script; layer 3: the host name; then the finish.</summary>
    private const string Steps = """
          - write: { path: /etc/motd, content: "killed anywhere\n" }
          - mkdir: /srv/kill
          - install: [hello]
          - write: { path: /srv/kill/after-install, content: "yes\n" }
          - script: |
              sleep 3
              echo done > /srv/kill/script
          - hostname: kill-anywhere
        """;

    /// <summary>The host backend's kill points, in the order a build reaches them: each is reached by resuming from what the ones before published.</summary>
    private static readonly KillPoint[] HostPoints =
    [
        AfterStart("start-up", 0.1),
        AfterStart("start-up, later", 0.15),
        AfterStart("recipe, template, planning", 0.2),
        On("build started", line => line.Event == "build-started"),
        On("layer 1 started", Layer("layer-started", 1)),
        On("layer 1 overlay", Phase("overlay", layer: 1)),
        On("layer 1 export", Phase("export", layer: 1)),
        On("layer 1 mount", Phase("mount", layer: 1)),
        On("layer 1 file step", Step("write", layer: 1)),
        On("layer 1 second file step", Step("mkdir", layer: 1)),
        On("mid-install (apt update)", Step("install"), 0.5),
        On("mid-install, SIGINT", Step("install"), 1.5, SigInt),
        On("mid-install (dpkg)", Step("install"), 2.5),
        On("layer 1 published", Layer("layer-completed", 1)),
        On("layer 2 overlay", Phase("overlay", layer: 2)),
        On("layer 2 export", Phase("export", layer: 2)),
        On("layer 2 mount", Phase("mount", layer: 2)),
        On("mid-script", Step("script"), 1),
        On("mid-script, SIGTERM", Step("script"), 1.5, SigTerm),
        On("layer 2 published", Layer("layer-completed", 2)),
        On("layer 3 mount", Phase("mount", layer: 3)),
        On("layer 3 file step", Step("hostname", layer: 3)),
        On("layer 3 published", Layer("layer-completed", 3)),
        On("finish overlay", Phase("overlay", layer: BuildLine.Finish)),
        On("finish mount", Phase("mount", layer: BuildLine.Finish)),
        On("finish (clean, trim)", Phase("finish")),
        On("finish contents", Phase("contents")),
        On("emit started", Phase("emit")),
        On("mid-emit", Phase("emit"), 0.1),
        On("mid-emit, SIGTERM", Phase("emit"), 0.1, SigTerm),
        On("emit done (publishing)", Phase("emit", "phase-completed")),
        On("mid-checksum", Phase("checksum"), 0.1),
    ];

    [Fact]
    public async Task A_build_killed_at_any_point_of_the_host_backend_leaves_nothing_and_the_next_build_reuses_what_was_published()
    {
        var sequence = Sequence("kill-host", Steps, "host");
        foreach (var point in HostPoints) await sequence.Kill(point);
        await FinishAsync(sequence, "kill-host", expectedHits: 4);
    }

    /// <summary>The appliance's launch takes seconds under TCG: a few points there, on a recipe without the (slow) install.</summary>
    [Fact]
    public async Task A_build_killed_during_the_appliance_launch_or_a_step_leaves_nothing_and_the_next_build_reuses_what_was_published()
    {
        var sequence = Sequence("kill-appliance", """
              - write: { path: /etc/motd, content: "killed anywhere\n" }
              - run: sleep 4
              - mkdir: /srv/kill
              - script: |
                  sleep 4
                  echo done > /srv/kill/script
              - hostname: kill-anywhere
            """, "appliance");
        await sequence.Kill(On("mid-launch", Phase("launch"), 4));
        await sequence.Kill(On("mid-step, layer 1", Step("run", layer: 1), 1.5));
        await sequence.Kill(On("mid-step, layer 2", Step("script", layer: 2), 1.5));
        await FinishAsync(sequence, "kill-appliance", expectedHits: 1);
    }

    private KillSequence Sequence(string name, string steps, string backend)
    {
        var recipe = store.Recipe(name, steps);
        return new KillSequence(store, recipe, Path.Combine(store.Folder, "out", $"{name}.qcow2"), backend);
    }

    private async Task FinishAsync(KillSequence sequence, string name, int expectedHits)
    {
        var lines = await sequence.FinishAsync(log);
        foreach (var failure in sequence.Failures) log.WriteLine("FAILED " + failure);
        Assert.Empty(sequence.Failures);
        Assert.Equal(expectedHits, sequence.Rows[^1].Found.Count);
        Assert.Equal([$"{name}.qcow2", $"{name}.qcow2.build.log", $"{name}.qcow2.manifest.json"],
            Directory.EnumerateFileSystemEntries(Path.Combine(store.Folder, "out"), $"{name}*", SearchOption.TopDirectoryOnly)
                .Concat(Directory.EnumerateFileSystemEntries(Path.Combine(store.Folder, "out"), $".{name}*"))
                .Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var image = Path.Combine(store.Folder, "out", $"{name}.qcow2");
        Assert.Equal("done\n", await store.TextAsync(image, "/srv/kill/script"));
        Assert.Equal("kill-anywhere\n", await store.TextAsync(image, "/etc/hostname"));
        Assert.Equal(debian.Template.Digest, "sha256:" + Tools.Sha256(debian.Template.ImagePath));
        log.WriteLine($"{sequence.Rows.Count - 1} kill points, {lines.Count(l => l.Event == "step-started")} steps run by the final build");
    }
}
