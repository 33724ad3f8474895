using System.Diagnostics;
using Builder.Execution;
using Builder.Guests;
using Builder.IntegrationTests.Guestfs;
using Builder.IntegrationTests.Host;
using Builder.IntegrationTests.Pipeline;
using Builder.Recipes;
using Builder.Secrets;
using Builder.Steps;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Reliability;

/// <summary>
/// Steps against a template full of traps (<see cref="HostileTemplate"/>), on each backend: each fails
/// with a clear error or succeeds, and nothing on the host changes: not the loop device a guest device
/// node names, not the host's /etc/shadow, not the template; nothing is left mounted or running. Every
/// case runs in one guest session (one appliance launch), and two builds check what the user sees: a
/// step failing on a device node, and a write on a template whose filesystem is full.
/// </summary>
public abstract class HostileTemplateTests(HostileTemplate hostile, BackendChoice backend, ITestOutputHelper output)
{
    private protected HostileTemplate Hostile => hostile;

    protected const string NotRegular = "not a regular file (devices, FIFOs and sockets in the guest are not opened)";

    /// <summary>Each step, and the error it fails with (null: it succeeds).</summary>
    public static TheoryData<string, string?> Cases => new()
    {
        { "password: { user: root, hash: '$6$salt$hash' }", "read /etc/shadow: " + NotRegular },
        { "append-line: { path: /etc/shadow, line: 'x:*:1::::::' }", "read /etc/shadow: " + NotRegular },
        { "edit: { path: /etc/hostname, replace: 'a', with: b }", "read /etc/hostname: " + NotRegular },
        { "hostname: evil", "/etc/hostname: " + NotRegular },
        { "upload: { from: file.txt, to: /etc/hostname }", "upload /etc/hostname: " + NotRegular },
        { "write: { path: /dev/mem, content: x }", "/dev/mem: " + NotRegular },
        { "write: { path: /etc/loop-a, content: x }", "write /etc/loop-a: Too many levels of symbolic links" },
        { "chmod: { path: /usr/local/bin/setuid-root, mode: '0755' }", null },
        { "delete: /srv/terabyte.img", null },
        // In the appliance /dev/sda is its own disk (the overlay): the file must land in the guest's /dev instead.
        { "upload: { from: file.txt, to: /dev/sda }", null },
    };

    [Fact]
    public async Task Every_step_on_a_hostile_template_fails_cleanly_or_succeeds_in_one_session_and_touches_nothing_on_the_host()
    {
        var hostShadow = Tools.Sha256("/etc/shadow");
        var folder = Directory.CreateTempSubdirectory("builder-hostile-session-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "file.txt"), "uploaded\n");
            var cases = Cases.Select(c => ((string)c[0], (string?)c[1])).ToList();
            var recipe = Path.Combine(folder, "recipe.yaml");
            File.WriteAllText(recipe, $"template: {hostile.Image}\nsteps:\n" + string.Concat(cases.Select(c => $"  - {c.Item1}\n")));
            var loaded = new RecipeLoader(StepRegistry.BuiltIn).Load(recipe);
            Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
            var overlay = Path.Combine(folder, "overlay.qcow2");
            Tools.Run("qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b", hostile.Image, overlay);
            IGuestBackend guests = backend == BackendChoice.Host ? HostTools.Backend(Path.Combine(folder, "store")) : Tools.Backend(Path.Combine(folder, "store"));
            var events = new RecordingEvents();
            var stopwatch = Stopwatch.StartNew();

            var outcomes = new List<string>();
            await using (var guest = await guests.OpenAsync(new GuestDisk(overlay, "qcow2"), HostTools.Options(), events, CancellationToken.None))
            {
                var context = new StepContext(guest, events, new EnvironmentSecretReader(), new Builder.Crypt.LibCryptPasswordHasher(), new StepSession());
                foreach (var step in loaded.Recipe!.Steps)
                {
                    var run = step.Kind.ExecuteAsync(step.Options, context, CancellationToken.None);
                    // A read of /dev/zero never ends: a step that does not finish in a minute is a failure, not a hang.
                    var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(1)));
                    Assert.True(finished == run, $"{step.Kind.Name} did not finish in a minute");
                    try
                    {
                        await run;
                        outcomes.Add("succeeded");
                    }
                    catch (Exception e) when (e is GuestOperationException or StepFailedException)
                    {
                        outcomes.Add(e.Message);
                    }
                }
                Assert.Equal("uploaded\n", System.Text.Encoding.UTF8.GetString(await guest.ReadFileAsync("/dev/sda")));
                Assert.Equal(GuestFileType.Regular, (await guest.LstatAsync("/dev/sda"))?.Type);
            }
            output.WriteLine($"{backend}: {cases.Count} steps in one session, {stopwatch.Elapsed.TotalSeconds:0.0} s (the launch included)");
            for (var i = 0; i < cases.Count; i++) output.WriteLine($"  {cases[i].Item1} -> {outcomes[i]}");

            for (var i = 0; i < cases.Count; i++)
            {
                if (cases[i].Item2 is { } error) Assert.True(outcomes[i].Contains(error, StringComparison.Ordinal), $"{cases[i].Item1}: {outcomes[i]}");
                else Assert.True(outcomes[i] == "succeeded", $"{cases[i].Item1}: {outcomes[i]}");
            }
            AssertHostUntouched(hostShadow, folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_build_whose_step_meets_a_device_node_fails_naming_the_step_and_leaves_nothing()
    {
        var (code, stderr, folder, hostShadow) = await BuildAsync(hostile.Image, "password: { user: root, hash: '$6$salt$hash' }");
        try
        {
            Assert.Equal(1, code);
            Assert.Contains("error: step 1 (password, recipe.yaml:4:5) failed: read /etc/shadow: " + NotRegular, stderr);
            Assert.False(File.Exists(Path.Combine(folder, "out", "image.qcow2")));
            AssertHostUntouched(hostShadow, folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_write_on_a_template_whose_filesystem_is_full_fails_with_no_space_in_the_guest_and_leaves_nothing()
    {
        var (code, stderr, folder, hostShadow) = await BuildAsync(hostile.FullImage, "write: { path: /etc/motd, content: \"hello\\n\" }");
        try
        {
            Assert.Equal(1, code);
            // The appliance's message has libguestfs's call in it: "write /etc/motd: internal_write: write: No space left on device".
            Assert.Contains("error: step 1 (write, recipe.yaml:4:5) failed: write /etc/motd: ", stderr);
            Assert.Contains("No space left on device\n", stderr);
            Assert.Contains("hint: the guest's filesystem is full (not the build host's)", stderr);
            Assert.DoesNotContain("the filesystem at", stderr);
            Assert.Equal(["image.qcow2.build.log"], Directory.EnumerateFileSystemEntries(Path.Combine(folder, "out")).Select(Path.GetFileName).ToList());
            // No layer, not even a half-built one.
            var layers = Path.Combine(folder, "store", "layers", backend == BackendChoice.Host ? "host" : "appliance");
            Assert.Empty(Directory.Exists(layers) ? Directory.EnumerateDirectories(layers) : []);
            Assert.Equal(hostile.FullSha256, Tools.Sha256(hostile.FullImage));
            AssertHostUntouched(hostShadow, folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>builder build of a one-step recipe on the template, in a fresh folder with its own store: exit code, standard error, the folder, the host's /etc/shadow hash before.</summary>
    private protected async Task<(int Code, string Error, string Folder, string HostShadow)> BuildAsync(string template, string step)
    {
        var hostShadow = Tools.Sha256("/etc/shadow");
        var folder = Directory.CreateTempSubdirectory("builder-hostile-run-").FullName;
        File.WriteAllText(Path.Combine(folder, "file.txt"), "uploaded\n");
        File.WriteAllText(Path.Combine(folder, "recipe.yaml"), $"template: {template}\noutput: {{ path: out/image.qcow2 }}\nsteps:\n  - {step}\n");
        var environment = new Dictionary<string, string> { ["BUILDER_STORE"] = Path.Combine(folder, "store") };
        var stopwatch = Stopwatch.StartNew();
        var (code, _, stderr) = await BuilderProcess.RunAsync(folder, environment, "build", "recipe.yaml", "--backend", backend == BackendChoice.Host ? "host" : "appliance");
        output.WriteLine($"{backend}: {step} -> exit {code} in {stopwatch.Elapsed.TotalSeconds:0.0} s\n{stderr}");
        return (code, stderr, folder, hostShadow);
    }

    /// <summary>The victim's content, the host's /etc/shadow and the template are unchanged; nothing is mounted, looped or running under the folders.</summary>
    private protected void AssertHostUntouched(string hostShadow, string folder)
    {
        Assert.Equal(hostile.VictimSha256, Tools.Sha256(hostile.Victim));
        Assert.Equal(hostShadow, Tools.Sha256("/etc/shadow"));
        Assert.Equal(hostile.Sha256, Tools.Sha256(hostile.Image));
        Assert.Empty(HostTools.LeftBehind(folder));
        Assert.Empty(Leftovers.Under(folder));
        Assert.DoesNotContain(Leftovers.Under(hostile.Folder), l => !l.Contains("victim.img", StringComparison.Ordinal));
    }
}

/// <summary>The host backend: besides the shared cases, each step as its own build, as a user runs it (each takes about a second).</summary>
[Collection(HostBackendCollection.Name)]
public sealed class HostHostileTemplateTests(HostileTemplate hostile, ITestOutputHelper output)
    : HostileTemplateTests(hostile, BackendChoice.Host, output), IClassFixture<HostileTemplate>
{
    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_step_on_a_hostile_template_fails_cleanly_or_succeeds_and_touches_nothing_on_the_host(string step, string? error)
    {
        var (code, stderr, folder, hostShadow) = await BuildAsync(Hostile.Image, step);
        try
        {
            if (error is null)
            {
                Assert.True(code == 0, stderr);
            }
            else
            {
                Assert.Equal(1, code);
                Assert.Contains("error: step 1 (", stderr);
                Assert.Contains(", recipe.yaml:4:5) failed: ", stderr);
                Assert.Contains(error, stderr);
                Assert.False(File.Exists(Path.Combine(folder, "out", "image.qcow2")));
            }
            AssertHostUntouched(hostShadow, folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

/// <summary>The libguestfs appliance: three launches in all (the shared session and two builds).</summary>
[Collection(ApplianceCollection.Name)]
public sealed class ApplianceHostileTemplateTests(HostileTemplate hostile, ITestOutputHelper output)
    : HostileTemplateTests(hostile, BackendChoice.Appliance, output), IClassFixture<HostileTemplate>;
