using System.Security.Cryptography;
using System.Text;
using Builder.IntegrationTests.Caching;
using Builder.IntegrationTests.Guestfs;
using Builder.IntegrationTests.Pipeline;
using Builder.IntegrationTests.Templates;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Reliability;

/// <summary>
/// One recipe uses every secret-bearing option (passwords from the environment, from a file and
/// random; script and run environments from the environment and from a file), and not one of the
/// values is found anywhere it must not be: the image's bytes, the layers in the cache, the build
/// log, the --json events, the plan, and the command lines of every process sampled during the build.
/// </summary>
[Collection(DebianTemplateCollection.Name)]
public sealed class SecretsScanTests(DebianTemplate debian, ITestOutputHelper output) : IAsyncLifetime
{
    private LayerStoreCopy store = null!;

    public Task InitializeAsync()
    {
        store = new LayerStoreCopy(debian);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [Theory]
    [InlineData("host")]
    [InlineData("appliance")]
    public async Task No_secret_value_reaches_the_image_the_cache_the_log_the_events_the_plan_or_any_command_line(string backend)
    {
        var secrets = new Dictionary<string, string>
        {
            ["SCAN_ROOT_PASSWORD"] = Secret(), ["SCAN_TOKEN"] = Secret(), ["SCAN_RUN_TOKEN"] = Secret(),
        };
        var fileSecrets = new Dictionary<string, string> { ["secrets/key"] = Secret(), ["secrets/daemon-password"] = Secret() };
        foreach (var (path, value) in fileSecrets) store.Write($"recipes/{path}", value + "\n");
        var recipe = store.Write("recipes/secrets.yaml", $$"""
            name: secrets
            template: debian-12
            output: { path: ../out/secrets-{{backend}}.qcow2 }
            steps:
              - write: { path: /etc/motd, content: "before any secret\n" }
                checkpoint: true
              - password: { user: root, from-env: SCAN_ROOT_PASSWORD }
              - password: { user: daemon, from-file: secrets/daemon-password }
              - password: { user: bin, random: true, save-to: secrets/bin-password }
              - script:
                  content: |
                    test -n "$TOKEN" && test -n "$KEY"
                    echo used > /etc/secrets-used
                  env: { TOKEN: { from-env: SCAN_TOKEN }, KEY: { from-file: secrets/key } }
              - run: { command: 'test -n "$RUN_TOKEN"', env: { RUN_TOKEN: { from-env: SCAN_RUN_TOKEN } } }
            """);
        var environment = new Dictionary<string, string>(secrets) { ["BUILDER_STORE"] = store.Store };

        var (planCode, plan, planError) = await BuilderProcess.RunAsync(store.Folder, environment, "plan", recipe, "--json", "--backend", backend);
        Assert.True(planCode == 0, planError);
        using var sampling = new CancellationTokenSource();
        var commandLines = SampleCommandLinesAsync(sampling.Token);
        var (code, events, error) = await BuilderProcess.RunAsync(store.Folder, environment, "build", recipe, "--json", "--backend", backend);
        await sampling.CancelAsync();
        var sampled = await commandLines;
        Assert.True(code == 0, error);
        output.WriteLine($"{sampled.Count} distinct command lines sampled during the build");
        Assert.Contains(sampled, line => line.Contains(backend == "host" ? "qemu-storage-daemon" : "qemu-system", StringComparison.Ordinal));

        var image = Path.Combine(store.Folder, "out", $"secrets-{backend}.qcow2");
        var values = secrets.Values.Concat(fileSecrets.Values).Append(File.ReadAllText(Path.Combine(store.Folder, "recipes/secrets/bin-password")).Trim()).ToList();
        Assert.Equal(6, values.Distinct().Count());
        var raw = Path.Combine(store.Folder, $"scan-{backend}.raw");
        Tools.Run("qemu-img", "convert", "-O", "raw", image, raw);
        try
        {
            // The scanner finds a value where it is: in the secret file the recipe names.
            Assert.Equal([fileSecrets["secrets/key"]], FilesContaining([Path.Combine(store.Folder, "recipes/secrets/key")], values));
            // The layer before the secrets is cached; no layer after them is (they run in every build).
            var cached = Directory.EnumerateFiles(Path.Combine(store.Store, "layers"), "*", SearchOption.AllDirectories).ToList();
            Assert.Contains(cached, f => f.EndsWith("layer.qcow2", StringComparison.Ordinal));
            var text = new Dictionary<string, string>
            {
                ["the build log"] = File.ReadAllText(image + ".build.log"),
                ["the --json events"] = events,
                ["the plan"] = plan,
                ["a process's command line"] = string.Join('\n', sampled),
            };
            var found = text.SelectMany(place => values.Where(v => place.Value.Contains(v, StringComparison.Ordinal)).Select(v => (place.Key, v)))
                .Concat(FilesContaining([raw], values).Select(v => ("the image's bytes", v)))
                .Concat(FilesContaining(cached, values)
                    .Select(v => ("the layer cache", v)))
                .Select(f => $"{f.Item1} holds a secret ({f.Item2[..10]}…)")
                .ToList();
            Assert.Empty(found);
        }
        finally
        {
            File.Delete(raw);
        }
        Assert.Equal("used\n", await store.TextAsync(image, "/etc/secrets-used"));
    }

    private static string Secret() => "s3cr3t-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>Every /proc/PID/cmdline seen while the build runs, read as often as the machine allows.</summary>
    private static Task<HashSet<string>> SampleCommandLinesAsync(CancellationToken stop) => Task.Run(() =>
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (!stop.IsCancellationRequested)
        {
            foreach (var process in Directory.EnumerateDirectories("/proc"))
            {
                try
                {
                    var bytes = File.ReadAllBytes(Path.Combine(process, "cmdline"));
                    if (bytes.Length > 0) seen.Add(Encoding.UTF8.GetString(bytes).Replace('\0', ' '));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Gone meanwhile, or not a process folder.
                }
            }
        }
        return seen;
    });

    /// <summary>The values that the files' bytes hold, each file read once in overlapping chunks.</summary>
    private static IEnumerable<string> FilesContaining(IEnumerable<string> files, IReadOnlyList<string> values)
    {
        var needles = values.Select(v => (Value: v, Bytes: Encoding.UTF8.GetBytes(v))).ToList();
        var overlap = needles.Max(n => n.Bytes.Length) - 1;
        var found = new HashSet<string>(StringComparer.Ordinal);
        var buffer = new byte[8 << 20];
        foreach (var file in files)
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20);
            var kept = 0;
            int read;
            while ((read = stream.Read(buffer, kept, buffer.Length - kept)) > 0)
            {
                var filled = kept + read;
                foreach (var needle in needles.Where(n => buffer.AsSpan(0, filled).IndexOf(n.Bytes) >= 0)) found.Add(needle.Value);
                kept = Math.Min(overlap, filled);
                buffer.AsSpan(filled - kept, kept).CopyTo(buffer);
            }
        }
        return found;
    }
}
