using System.Security.Cryptography;
using System.Text;
using Builder.Execution;
using Builder.IntegrationTests.Guestfs;
using Builder.IntegrationTests.Pipeline;

namespace Builder.IntegrationTests.Templates;

/// <summary>
/// Packages, scripts, copy-in and firstboot on the real debian-12 template, with the Debian
/// mirror, on each backend: one recipe that does all of them, read back from its image and booted;
/// and the ways such steps fail.
/// </summary>
public abstract class PackageAndScriptTests(DebianTemplate debian, BackendChoice backend) : IAsyncLifetime
{
    private static readonly string Token = "token-" + Guid.NewGuid().ToString("N");
    private static readonly string Nonce = Guid.NewGuid().ToString("N")[..10];
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static readonly Dictionary<BackendChoice, (RecipeRun Run, ImageReader Image)> Built = [];
    private RecipeRun? everything;
    private ImageReader? image;

    private const string Steps = """
          - update: {}
          - install: [curl, jq]
          - uninstall: [jq]
          - script:
              content: |
                printf '%s' "$TOKEN" | sha256sum | cut -d' ' -f1 > /root/token.sha256
                echo "the script saw $TOKEN"
              env: { TOKEN: { from-env: BUILDER_IT_SCRIPT_TOKEN } }
          - run: touch /root/run-marker
          - copy-in: { from: site, to: /srv/site }
          - firstboot: { command: "echo firstboot-marker-NONCE" }
          - hostname: pkgtest
        """;

    public async Task InitializeAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (Built.TryGetValue(backend, out var built))
            {
                (everything, image) = built;
                return;
            }
            everything = await RecipeRun.BuildAsync(debian, backend, Steps.Replace("NONCE", Nonce), folder =>
            {
                Directory.CreateDirectory(Path.Combine(folder, "site", "bin"));
                File.WriteAllText(Path.Combine(folder, "site", "index.html"), "<p>site</p>\n");
                File.WriteAllText(Path.Combine(folder, "site", "bin", "start"), "#!/bin/sh\n");
                File.SetUnixFileMode(Path.Combine(folder, "site", "bin", "start"), (UnixFileMode)0x1ED);
            }, new Dictionary<string, string> { ["BUILDER_IT_SCRIPT_TOKEN"] = Token });
            Assert.True(everything.Result.Succeeded, everything.Result.Error?.Message + "\n" + everything.Result.Error?.Hint);
            image = await ImageReader.OpenAsync(everything.Output, "qcow2", Path.Combine(everything.Folder, "reader"));
            Built[backend] = (everything, image);
        }
        finally
        {
            Once.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Status(string dpkgStatus, string package) =>
        dpkgStatus.Split("\n\n").FirstOrDefault(s => s.StartsWith($"Package: {package}\n", StringComparison.Ordinal))?
            .Split('\n').FirstOrDefault(l => l.StartsWith("Status: ", StringComparison.Ordinal)) ?? "absent";

    [Fact]
    public async Task Install_and_uninstall_leave_dpkg_and_the_binaries_as_asked()
    {
        var status = await image!.TextAsync("/var/lib/dpkg/status");

        Assert.Equal("Status: install ok installed", Status(status, "curl"));
        Assert.NotNull(await image.Guest.LstatAsync("/usr/bin/curl"));
        Assert.NotEqual("Status: install ok installed", Status(status, "jq"));
        Assert.Null(await image.Guest.LstatAsync("/usr/bin/jq"));
        Assert.Contains(everything!.Result.Plan!.Steps, s => s.Kind == "install" && s.Network);
    }

    [Fact]
    public async Task Package_caches_lists_and_the_policy_rc_d_are_gone()
    {
        Assert.Empty(await image!.Guest.GlobAsync("/var/lib/apt/lists/*_Packages"));
        Assert.Empty(await image.Guest.GlobAsync("/var/cache/apt/archives/*.deb"));
        Assert.Null(await image.Guest.LstatAsync("/usr/sbin/policy-rc.d"));
        Assert.Null(await image.Guest.LstatAsync("/tmp/builder.log"));
        Assert.Empty(await image.Guest.GlobAsync("/run/builder*"));
    }

    [Fact]
    public async Task The_script_saw_its_secret_which_is_in_neither_the_image_nor_the_log()
    {
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Token)));

        Assert.Equal(expected + "\n", await image!.TextAsync("/root/token.sha256"));
        Assert.Equal(-1, File.ReadAllBytes(everything!.Output).AsSpan().IndexOf(Encoding.UTF8.GetBytes(Token)));
        Assert.DoesNotContain(Token, everything.Log);
        Assert.Contains("    | the script saw ***", everything.Log);
        Assert.DoesNotContain(Token, string.Join("\n", everything.Events.Select(e => e.ToString())));
    }

    [Fact]
    public async Task Run_and_copy_in_did_their_work()
    {
        Assert.NotNull(await image!.Guest.LstatAsync("/root/run-marker"));
        Assert.Equal("<p>site</p>\n", await image.TextAsync("/srv/site/index.html"));
        var start = await image.StatAsync("/srv/site/bin/start");
        Assert.Equal((0x1ED, 0, 0), (start.Mode, start.Uid, start.Gid));
    }

    [Fact]
    public void Command_output_streamed_as_step_output_events()
    {
        var install = everything!.Result.Plan!.Steps.Single(s => s.Kind == "install").Number;

        Assert.Contains(everything.Events.OfType<StepOutput>(), e => e.Number == install && e.Line.Contains("Setting up curl"));
    }

    [Fact]
    public async Task The_firstboot_job_runs_at_the_first_boot()
    {
        using var vm = SerialConsoleVm.Boot(everything!.Output, "qcow2");

        var at = await vm.WaitForAsync("firstboot-marker-" + Nonce, TimeSpan.FromMinutes(4));
        await vm.WaitForAsync("pkgtest login:", TimeSpan.FromMinutes(2), at);
    }

    [Fact]
    public async Task A_missing_package_fails_with_its_name_and_leaves_no_image()
    {
        using var run = await RecipeRun.BuildAsync(debian, backend, "  - install: [curl, builder-no-such-package]\n");

        Assert.Equal(BuildOutcome.Failed, run.Result.Outcome);
        Assert.Contains("the package 'builder-no-such-package' does not exist in the guest's package sources", run.Result.Error!.Message);
        Assert.Equal(["image.qcow2.build.log"], run.OutputEntries());
    }

    [Fact]
    public async Task A_script_that_exits_3_fails_with_its_tail_and_location_and_leaves_no_image()
    {
        using var run = await RecipeRun.BuildAsync(debian, backend, "  - hostname: never\n  - script: |\n      echo before-the-failure\n      exit 3\n");

        Assert.Equal(BuildOutcome.Failed, run.Result.Outcome);
        Assert.StartsWith("step 2 (script, ", run.Result.Error!.Message);
        Assert.EndsWith("recipe.yaml:5:5) failed: the script exited with code 3", run.Result.Error.Message);
        Assert.Contains("before-the-failure", run.Result.Error.Hint);
        Assert.Equal(["image.qcow2.build.log"], run.OutputEntries());
        Assert.Contains("exited with code 3", run.Log);
    }

    [Fact]
    public async Task An_unreachable_mirror_fails_in_bounded_time_saying_so()
    {
        var started = DateTime.UtcNow;
        using var run = await RecipeRun.BuildAsync(debian, backend, """
              - script: |
                  rm -f /etc/apt/sources.list.d/*
                  echo 'deb http://127.0.0.1:9/debian bookworm main' > /etc/apt/sources.list
              - install: [curl]
            """);

        Assert.Equal(BuildOutcome.Failed, run.Result.Outcome);
        Assert.True(run.Result.Error!.Message.Contains("the guest could not reach its package mirror"), run.Result.Error.Message + "\n" + run.Result.Error.Hint);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromMinutes(3), $"took {DateTime.UtcNow - started}");
    }
}

[Collection(DebianTemplateCollection.Name)]
public sealed class AppliancePackageAndScriptTests(DebianTemplate debian) : PackageAndScriptTests(debian, BackendChoice.Appliance);

[Collection(DebianTemplateCollection.Name)]
public sealed class HostPackageAndScriptTests(DebianTemplate debian) : PackageAndScriptTests(debian, BackendChoice.Host);
