using System.Text.Json;
using Builder.Execution;
using Builder.IntegrationTests.Guestfs;
using Builder.Recipes;
using Builder.Templates.Building;
using Builder.Templates.Definitions;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.IntegrationTests.Templates;

/// <summary>debian-12 from its definition: stored read-only, boots, and a recipe on it boots with what the recipe set.</summary>
[Collection(DebianTemplateCollection.Name)]
public sealed class DebianTemplateTests(DebianTemplate debian)
{
    private static readonly TimeSpan BootTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public void Template_is_stored_read_only_under_its_digest_with_its_metadata()
    {
        var template = debian.Template;
        var info = JsonDocument.Parse(Tools.Run("qemu-img", "info", "-U", "--output=json", template.ImagePath)).RootElement;

        Assert.Equal("sha256:" + Tools.Sha256(template.ImagePath), template.Digest);
        Assert.Equal(Path.Combine(debian.Store, "templates", template.Digest[7..], "image.qcow2"), template.ImagePath);
        Assert.Equal("qcow2", info.GetProperty("format").GetString());
        Assert.Equal(2L << 30, info.GetProperty("virtual-size").GetInt64());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(template.ImagePath));
        Assert.Equal(("debian", "12", "apt", "/dev/sda1", "x86_64"),
            (template.Metadata.Distro, template.Metadata.Version, template.Metadata.PackageManager, template.Metadata.RootDevice, template.Metadata.Architecture));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(debian.Store, "tmp")));
        Assert.Contains(debian.Events, e => e is PhaseStarted { Phase: "bootstrap" });
    }

    [Fact]
    public async Task A_second_build_of_the_same_definition_reuses_the_stored_template()
    {
        var (definition, _) = debian.Services.GetRequiredService<TemplateDefinitions>().Find("debian-12", Tools.RepositoryRoot);
        var events = new RecordingEvents();

        var again = await debian.Services.GetRequiredService<TemplateBuilder>().BuildAsync(definition!, new BuildOptions().Session, events, CancellationToken.None);

        Assert.Equal(debian.Template.Digest, again.Digest);
        Assert.DoesNotContain(events.All, e => e is PhaseStarted);
    }

    [Fact]
    public async Task Template_boots_under_qemu_to_a_login_prompt_on_the_serial_console()
    {
        using var vm = SerialConsoleVm.Boot(debian.Template.ImagePath, "qcow2");

        await vm.WaitForAsync("debian login:", BootTimeout);
    }

    [Fact]
    public async Task A_recipe_on_the_template_boots_with_its_host_name_marker_password_and_dhcp()
    {
        var folder = Directory.CreateTempSubdirectory("builder-on-debian-").FullName;
        try
        {
            var marker = "built-by-builder-" + Guid.NewGuid().ToString("N")[..8];
            var recipePath = Path.Combine(folder, "web.yaml");
            await File.WriteAllTextAsync(recipePath, $$"""
                template: debian-12
                steps:
                  - hostname: web1
                  - write: { path: /etc/issue, content: "{{marker}} \\n \\l\n\n" }
                  - password: { user: root, from-env: BUILDER_IT_DEBIAN_PASSWORD }
                """);
            var password = "pw-" + Guid.NewGuid().ToString("N")[..12];
            Environment.SetEnvironmentVariable("BUILDER_IT_DEBIAN_PASSWORD", password);
            BuildResult result;
            try
            {
                var loaded = debian.Services.GetRequiredService<RecipeLoader>().Load(recipePath);
                Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
                result = await debian.Services.GetRequiredService<IImageBuilder>().BuildAsync(loaded.Recipe!, new BuildOptions(), null, CancellationToken.None);
            }
            finally
            {
                Environment.SetEnvironmentVariable("BUILDER_IT_DEBIAN_PASSWORD", null);
            }
            Assert.True(result.Succeeded, result.Error?.Message + string.Join("\n", result.Diagnostics));
            Assert.Equal(debian.Template.Digest, result.Plan!.Template.Digest);
            Assert.Equal(debian.Template.Digest, "sha256:" + Tools.Sha256(debian.Template.ImagePath));

            using var vm = SerialConsoleVm.Boot(result.OutputPath!, "qcow2");
            var at = await vm.WaitForAsync(marker, BootTimeout);
            at = await vm.WaitForAsync("web1 login:", TimeSpan.FromMinutes(1), at);
            await vm.TypeAsync("root");
            at = await vm.WaitForAsync("Password:", TimeSpan.FromMinutes(1), at);
            await vm.TypeAsync(password);
            at = await vm.WaitForAsync("root@web1:~#", TimeSpan.FromMinutes(1), at);
            await vm.TypeAsync("ip -4 -o addr show eth0");
            await vm.WaitForAsync("10.0.2.15", TimeSpan.FromMinutes(1), at);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
