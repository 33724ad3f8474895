using Builder.Execution;
using Builder.Guests;
using Builder.Steps;
using Builder.Tests.Support;

namespace Builder.Tests.Steps;

public sealed class ScriptStepTests : IDisposable
{
    private readonly RecipeFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task A_failing_script_fails_with_its_exit_code_and_last_lines()
    {
        var guest = GuestTrees.Debian();
        guest.Commands = _ => new GuestCommandResult(3, ["starting", "something broke"]);

        var error = await Assert.ThrowsAsync<StepFailedException>(() =>
            new StepRunner(guest).RunAsync(folder.Load("template: base.qcow2\nsteps:\n  - script: |\n      echo starting\n      exit 3\n")));

        Assert.Equal("the script exited with code 3", error.Message);
        Assert.Equal("its last lines:\n    starting\n    something broke", error.Hint);
    }

    [Fact]
    public async Task Secrets_reach_the_script_by_environment_and_are_masked_in_its_output()
    {
        folder.Write("secrets/key", "file-secret-value\n");
        var guest = GuestTrees.Debian();
        guest.Commands = c => new GuestCommandResult(0, [$"token is {c.Environment!["TOKEN"]} and key {c.Environment["KEY"]}"]);
        var runner = new StepRunner(guest);
        runner.Environment["CI_TOKEN"] = "env-secret-value";

        await runner.RunAsync(folder.Load("""
            template: base.qcow2
            steps:
              - script: { content: "echo $TOKEN", env: { TOKEN: { from-env: CI_TOKEN }, KEY: { from-file: secrets/key }, MODE: fast }, network: true }
            """));

        var command = Assert.Single(guest.Ran);
        Assert.Equal(("env-secret-value", "file-secret-value", "fast"), (command.Environment!["TOKEN"], command.Environment["KEY"], command.Environment["MODE"]));
        Assert.True(command.Network);
        Assert.Equal("token is *** and key ***", Assert.Single(runner.Events.OfType<StepOutput>()).Line);
    }

    [Fact]
    public async Task Run_is_one_command_without_network_by_default()
    {
        var guest = GuestTrees.Debian();

        await new StepRunner(guest).RunAsync(folder.Load("template: base.qcow2\nsteps:\n  - run: systemctl enable ssh\n"));

        Assert.Equal(("systemctl enable ssh\n", false), (guest.Ran[0].Script, guest.Ran[0].Network));
    }

    [Fact]
    public async Task Firstboot_installs_a_systemd_job_once_and_names_scripts_in_recipe_order()
    {
        var guest = GuestTrees.Debian().WithFile("/lib/systemd/systemd", "ELF");

        await new StepRunner(guest).RunAsync(folder.Load("""
            template: base.qcow2
            steps:
              - firstboot: { command: "echo first" }
              - hostname: web1
              - firstboot: { install: [curl] }
            """));

        Assert.Equal("echo first\n", guest.Text("/usr/lib/builder/firstboot/scripts/0001-firstboot"));
        Assert.Contains("apt_get install --no-install-recommends 'curl'", guest.Text("/usr/lib/builder/firstboot/scripts/0003-firstboot"));
        Assert.Contains("ExecStart=/usr/lib/builder/firstboot/run", guest.Text("/etc/systemd/system/builder-firstboot.service"));
        Assert.Equal("/etc/systemd/system/builder-firstboot.service", guest.LinkTarget("/etc/systemd/system/multi-user.target.wants/builder-firstboot.service"));
        Assert.Equal(0x1ED, guest.Stat("/usr/lib/builder/firstboot/run")!.Mode);
        Assert.Single(guest.Transcript, line => line == "write /usr/lib/builder/firstboot/run (" + guest.Stat("/usr/lib/builder/firstboot/run")!.Size + " bytes)");
    }

    [Fact]
    public async Task Firstboot_falls_back_to_sysvinit_without_systemd()
    {
        var guest = GuestTrees.Debian();

        await new StepRunner(guest).RunAsync(folder.Load("template: base.qcow2\nsteps:\n  - firstboot: { script: \"echo hi\" }\n"));

        Assert.Contains("### BEGIN INIT INFO", guest.Text("/etc/init.d/builder-firstboot"));
        Assert.Equal("../init.d/builder-firstboot", guest.LinkTarget("/etc/rc2.d/S99builder-firstboot"));
        Assert.Null(guest.Stat("/etc/systemd/system/builder-firstboot.service"));
    }

    [Fact]
    public async Task Copy_in_copies_a_host_folder_keeping_modes()
    {
        var script = folder.Write("site/bin/start.sh", "#!/bin/sh\n");
        File.SetUnixFileMode(script, (UnixFileMode)0x1ED);
        folder.Write("site/index.html", "<p>hi</p>\n");
        var guest = GuestTrees.Debian();

        await new StepRunner(guest).RunAsync(folder.Load("template: base.qcow2\nsteps:\n  - copy-in: { from: site, to: /srv/www }\n"));

        Assert.Equal("<p>hi</p>\n", guest.Text("/srv/www/index.html"));
        Assert.Equal(0x1ED, guest.Stat("/srv/www/bin/start.sh")!.Mode);
    }
}
