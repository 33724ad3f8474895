using System.CommandLine;
using Builder.Execution;
using Builder.Guests;
using Builder.Storage;
using Builder.Templates.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.Cli.Commands;

/// <summary>
/// `builder doctor [--clean]`: what this machine can run (backends and why, tools), and what killed
/// builds left behind (mounts, loop devices, export daemons, qemu processes still running on their
/// folders, abandoned layer folders, the store's scratch folders of killed template builds and
/// verifies); --clean removes those. Exit 0 when
/// nothing is left behind (or all of it was cleaned), 1 otherwise.
/// </summary>
internal static class DoctorCommand
{
    private static readonly string[] Tools = ["qemu-img", "qemu-system-x86_64", "qemu-storage-daemon", "mmdebstrap", "gpgv", "gpg", "xz", "sfdisk", "mke2fs"];

    public static Command Create(CliContext context)
    {
        var clean = new Option<bool>("--clean") { Description = "Remove what killed builds left behind" };
        var command = new Command("doctor", "Check what this machine can run, and find (or --clean) what killed builds left behind") { clean };
        command.SetAction(async parse =>
        {
            var (services, output) = (context.Services(parse), context.Output);
            await output.WriteLineAsync($"store      {services.GetRequiredService<StoreLocation>().Root}");
            foreach (var backend in services.GetServices<IGuestBackend>())
            {
                var availability = backend.Availability(null);
                await output.WriteLineAsync($"backend    {backend.Name,-10} {(availability.Available ? "available" : "unavailable")}: {availability.Reason}");
            }
            foreach (var tool in Tools)
                await output.WriteLineAsync($"tool       {tool,-20} {(Which(tool) is { } path ? path : "MISSING")}");

            var stale = 0;
            foreach (var maintenance in services.GetServices<IBackendMaintenance>())
            {
                var found = maintenance.FindStale();
                stale += found.Count;
                foreach (var item in found) await output.WriteLineAsync($"stale      {maintenance.Name}: {item}");
                if (found.Count == 0 || !parse.GetValue(clean)) continue;
                foreach (var item in await maintenance.CleanStaleAsync(CancellationToken.None))
                    await output.WriteLineAsync($"cleaned    {maintenance.Name}: {item}");
                stale -= found.Count - maintenance.FindStale().Count;
            }
            // Before the caches' abandoned folders go: what still runs on them is found by naming them.
            var abandonedLayers = services.GetRequiredService<Caching.LayerStore>().All().SelectMany(c => c.FindAbandoned()).ToHashSet();
            var orphans = OrphanedProcesses.Find(abandonedLayers);
            stale += orphans.Count;
            foreach (var orphan in orphans) await output.WriteLineAsync($"stale      process: {orphan}");
            if (orphans.Count > 0 && parse.GetValue(clean))
            {
                foreach (var orphan in OrphanedProcesses.Kill(orphans)) await output.WriteLineAsync($"cleaned    process: {orphan}");
                stale -= orphans.Count - OrphanedProcesses.Find(abandonedLayers).Count;
            }
            foreach (var cache in services.GetRequiredService<Caching.LayerStore>().All())
            {
                var found = cache.FindAbandoned();
                stale += found.Count;
                foreach (var folder in found) await output.WriteLineAsync($"stale      layer cache: {folder}");
                if (found.Count == 0 || !parse.GetValue(clean)) continue;
                foreach (var folder in cache.RemoveAbandoned()) await output.WriteLineAsync($"cleaned    layer cache: {folder}");
                stale -= found.Count - cache.FindAbandoned().Count;
            }
            var root = services.GetRequiredService<StoreLocation>().Root;
            var scratch = ScratchFolders.FindAbandoned(root);
            stale += scratch.Count;
            foreach (var folder in scratch) await output.WriteLineAsync($"stale      store scratch: {folder}");
            if (scratch.Count > 0 && parse.GetValue(clean))
            {
                foreach (var folder in ScratchFolders.RemoveAbandoned(root)) await output.WriteLineAsync($"cleaned    store scratch: {folder}");
                stale -= scratch.Count - ScratchFolders.FindAbandoned(root).Count;
            }
            if (stale == 0) await output.WriteLineAsync("nothing left behind by killed builds");
            else if (!parse.GetValue(clean)) await output.WriteLineAsync($"{stale} left behind by killed builds; `builder doctor --clean` removes them");
            return stale == 0 ? ExitCodes.Ok : ExitCodes.BuildFailed;
        });
        return command;
    }

    private static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':')
            .Concat(["/usr/sbin", "/sbin"])
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);
}
