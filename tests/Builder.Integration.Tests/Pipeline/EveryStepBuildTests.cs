using System.Text;
using System.Text.Json;
using Builder.Execution;
using Builder.Guests;
using Builder.IntegrationTests.Guestfs;

namespace Builder.IntegrationTests.Pipeline;

/// <summary>A recipe using every file step kind, built through the library on each backend; every effect read back out of the image.</summary>
public abstract class EveryStepBuildTests<TBuild>(TBuild build) : IClassFixture<TBuild> where TBuild : EveryStepBuild
{
    private ImageReader Image => build.Image;

    [Fact]
    public void Build_succeeds_and_reports_every_step_in_order()
    {
        Assert.True(build.Result.Succeeded, build.Result.Error?.Message);
        var started = build.Events.OfType<StepStarted>().ToList();
        Assert.Equal(16, started.Count);
        Assert.Equal(Enumerable.Range(1, 16), started.Select(s => s.Number));
        Assert.Equal(["password", "password"], started.TakeLast(2).Select(s => s.Kind));
        Assert.Equal(16, build.Events.OfType<StepCompleted>().Count());
        Assert.Single(build.Events.OfType<BuildSucceeded>());
    }

    [Fact]
    public void Template_is_byte_identical_after_the_build()
    {
        Assert.Equal(build.Workspace.TemplateSha256, Tools.Sha256(build.Workspace.Template));
    }

    [Fact]
    public void Output_is_a_standalone_qcow2_grown_to_the_recipe_size()
    {
        var info = JsonDocument.Parse(Tools.Run("qemu-img", "info", "-U", "--output=json", build.OutputPath)).RootElement;

        Assert.Equal("qcow2", info.GetProperty("format").GetString());
        Assert.Equal(512L << 20, info.GetProperty("virtual-size").GetInt64());
        Assert.False(info.TryGetProperty("backing-filename", out _));
        Tools.Run("qemu-img", "check", "-U", build.OutputPath);
    }

    [Fact]
    public void Only_the_image_its_manifest_and_its_build_log_are_left_in_the_output_folder()
    {
        Assert.Equal(["every-step.qcow2", "every-step.qcow2.build.log", "every-step.qcow2.manifest.json"], build.Workspace.OutputEntries());
        var log = File.ReadAllText(build.OutputPath + ".build.log");
        Assert.Contains("(16/16) Setting a random password for alice", log);
        Assert.Contains("built " + build.OutputPath, log);
    }

    [Fact]
    public void Manifest_records_the_template_digest_and_the_step_ids()
    {
        var manifest = JsonDocument.Parse(File.ReadAllText(build.OutputPath + ".manifest.json")).RootElement;

        Assert.Equal("sha256:" + build.Workspace.TemplateSha256, manifest.GetProperty("template").GetProperty("digest").GetString());
        Assert.Equal(build.Result.Plan!.Steps.Select(s => s.Id.Hex),
            manifest.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(build.Backend.ToString().ToLowerInvariant(), manifest.GetProperty("backend").GetString());
    }

    [Fact]
    public async Task Write_sets_content_and_mode()
    {
        Assert.Equal("built by builder\n", await Image.TextAsync("/etc/motd"));
        Assert.Equal(0x1A0, (await Image.StatAsync("/etc/motd")).Mode);
    }

    [Fact]
    public async Task Append_line_and_hostname_shape_etc_hosts()
    {
        Assert.Equal(
            "127.0.0.1\tlocalhost\n127.0.1.1\tweb1.example.com web1\n\n::1\tlocalhost ip6-localhost ip6-loopback\n10.0.0.5 db\n",
            await Image.TextAsync("/etc/hosts"));
        Assert.Equal("web1.example.com\n", await Image.TextAsync("/etc/hostname"));
    }

    [Fact]
    public async Task Edit_replaced_the_pattern()
    {
        Assert.Equal("LABEL=root / ext4 defaults,noatime 0 1\n", await Image.TextAsync("/etc/fstab"));
    }

    [Fact]
    public async Task Upload_copied_the_host_file_with_its_mode()
    {
        Assert.Equal("listen=8080\n", await Image.TextAsync("/etc/app.conf"));
        Assert.Equal(0x180, (await Image.StatAsync("/etc/app.conf")).Mode);
    }

    [Fact]
    public async Task Mkdir_chmod_chown_and_delete_shaped_srv_app()
    {
        var app = await Image.StatAsync("/srv/app");
        var data = await Image.StatAsync("/srv/app/data");

        Assert.Equal((GuestFileType.Directory, 0x5FD), (app.Type, app.Mode));
        Assert.Equal((GuestFileType.Directory, 0x1E8, 1000, 1000), (data.Type, data.Mode, data.Uid, data.Gid));
        Assert.Null(await Image.Guest.LstatAsync("/srv/app/scratch.tmp"));
    }

    [Fact]
    public async Task Link_is_absolute_and_writes_through_it_land_inside_the_guest()
    {
        Assert.Equal(GuestFileType.Symlink, (await Image.StatAsync("/var/data")).Type);
        Assert.Equal("/srv/app/data", await Image.Guest.ReadLinkAsync("/var/data"));
        Assert.Equal("written through an absolute link\n", await Image.TextAsync("/srv/app/data/through-link.txt"));
    }

    [Fact]
    public async Task Timezone_links_localtime_and_writes_etc_timezone()
    {
        Assert.Equal("/usr/share/zoneinfo/Europe/London", await Image.Guest.ReadLinkAsync("/etc/localtime"));
        Assert.Equal("Europe/London\n", await Image.TextAsync("/etc/timezone"));
    }

    [Fact]
    public async Task Password_from_env_is_a_yescrypt_hash_of_the_secret()
    {
        var root = ShadowEntry(await Image.TextAsync("/etc/shadow"), "root");

        Assert.StartsWith("$y$", root[1]);
        Assert.True(CryptCheck.Matches(build.RootPassword, root[1]));
        Assert.False(CryptCheck.Matches(build.RootPassword + "x", root[1]));
        Assert.Equal("19000", root[2]);
        Assert.Equal(0x1A0, (await Image.StatAsync("/etc/shadow")).Mode);
    }

    [Fact]
    public async Task Random_password_is_saved_with_mode_0600_and_matches_the_hash()
    {
        var saved = Path.Combine(build.Workspace.Path, "secrets", "alice-password");
        var password = File.ReadAllText(saved).TrimEnd('\n');
        var alice = ShadowEntry(await Image.TextAsync("/etc/shadow"), "alice");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(saved));
        Assert.Equal(20, password.Length);
        Assert.True(CryptCheck.Matches(password, alice[1]));
        Assert.Empty(build.Events.OfType<PasswordGenerated>());
    }

    [Fact]
    public async Task Ssh_inject_writes_authorized_keys_owned_by_the_user_with_strict_modes()
    {
        var folder = await Image.StatAsync("/home/alice/.ssh");
        var file = await Image.StatAsync("/home/alice/.ssh/authorized_keys");

        Assert.Equal(EveryStepBuild.PublicKey + "\n", await Image.TextAsync("/home/alice/.ssh/authorized_keys"));
        Assert.Equal((0x1C0, 1000, 1000), (folder.Mode, folder.Uid, folder.Gid));
        Assert.Equal((0x180, 1000, 1000), (file.Mode, file.Uid, file.Gid));
    }

    [Fact]
    public void Secrets_are_in_neither_the_image_bytes_nor_the_events_nor_the_trace()
    {
        var random = File.ReadAllText(Path.Combine(build.Workspace.Path, "secrets", "alice-password")).TrimEnd('\n');
        var image = File.ReadAllBytes(build.OutputPath);
        var log = build.EventLog();

        if (build.Backend == BackendChoice.Appliance) Assert.Contains(build.Events, e => e is TraceLine);
        foreach (var secret in new[] { build.RootPassword, random })
        {
            Assert.Equal(-1, image.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
            Assert.DoesNotContain(secret, log);
        }
        // The plan and the ids name the variable, never its value.
        Assert.Contains("env:" + build.SecretVariable, build.Result.Plan!.Steps.SelectMany(s => s.Secrets));
    }

    private static string[] ShadowEntry(string shadow, string user) =>
        shadow.Split('\n').Single(l => l.StartsWith(user + ":", StringComparison.Ordinal)).Split(':');
}

public sealed class ApplianceEveryStepBuildTests(ApplianceEveryStepBuild build) : EveryStepBuildTests<ApplianceEveryStepBuild>(build);

public sealed class HostEveryStepBuildTests(HostEveryStepBuild build) : EveryStepBuildTests<HostEveryStepBuild>(build);
