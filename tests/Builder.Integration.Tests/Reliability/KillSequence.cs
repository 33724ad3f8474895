using Builder.IntegrationTests.Caching;
using Builder.IntegrationTests.Guestfs;
using Builder.IntegrationTests.Host;
using Builder.IntegrationTests.Pipeline;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Reliability;

/// <summary>
/// One recipe on one backend, built again and again in a store of its own, each build stopped at
/// the next <see cref="KillPoint"/>, so each resumes from the layers the ones before it published.
/// After every stop it checks what must hold (<see cref="Kill"/>), records a row of the table, and
/// collects what failed rather than stopping, so the whole table is shown.
/// </summary>
internal sealed class KillSequence(LayerStoreCopy store, string recipe, string output, string backend)
{
    private static readonly TimeSpan GracefulStop = TimeSpan.FromSeconds(10);

    private readonly string templateIdentity = Identity(store.TemplateImage);

    /// <summary>Layer ids by number, as builds reported them.</summary>
    private readonly Dictionary<int, string> layerIds = [];

    public List<KillRow> Rows { get; } = [];

    public List<string> Failures { get; } = [];

    private Dictionary<string, string> Environment => new() { ["BUILDER_STORE"] = store.Store };

    private string CacheFolder => Path.Combine(store.Store, "layers", backend);

    private string OutputFolder => Path.GetDirectoryName(output)!;

    /// <summary>Runs a build to the kill point, stops it, and checks everything a killed build must leave as it was.</summary>
    public async Task Kill(KillPoint point)
    {
        var before = Published();
        var build = await KilledBuild.RunAsync(point, store.Folder, Environment, "build", recipe, "--json", "--backend", backend);
        foreach (var line in build.Lines.Where(l => l is { Event: "layer-started", Id: not null })) layerIds[line.Number!.Value] = line.Id!;
        var fail = (string what) => Failures.Add($"{point.Name}: {what}");

        if (point.Signal == KillPoint.SigKill && build.ExitCode != 137) fail($"exit {build.ExitCode}, not 137 (SIGKILL)");
        if (point.Signal != KillPoint.SigKill)
        {
            if (build.ExitCode != 130) fail($"exit {build.ExitCode}, not 130: {build.Error}");
            if (build.StopTime > GracefulStop) fail($"took {build.StopTime.TotalSeconds:0.0} s to stop");
        }
        var found = Found(build, before, fail);
        if (build.Lines.Any(l => l.Text.Contains("was unusable", StringComparison.Ordinal))) fail("a published layer was found unusable");

        // The template is unchanged: same size, modification and change times, inode (its sha256 is compared at the end).
        if (Identity(store.TemplateImage) != templateIdentity) fail("the template changed");
        if (File.Exists(output)) fail("something is at the output path");
        var beside = Directory.Exists(OutputFolder) ? Directory.EnumerateFileSystemEntries(OutputFolder).Select(Path.GetFileName).ToList() : [];
        var workAreas = beside.Count(n => n!.Contains(".builder-work-", StringComparison.Ordinal));
        var stray = beside.Where(n => !n!.Contains(".builder-work-", StringComparison.Ordinal) && n != Path.GetFileName(output) + ".build.log").ToList();
        if (stray.Count > 0) fail($"stray files beside the output: {string.Join(", ", stray)}");
        // A killed build cannot remove its own work area; the next build of the output removes it.
        if (workAreas > (point.Signal == KillPoint.SigKill ? 1 : 0)) fail($"{workAreas} work areas beside the output");

        // A qemu-img the killed build ran (the emit's convert, writing into the dead work area) or the appliance's qemu
        // may still run: doctor --clean stops them, found by the abandoned folder they name.
        var seen = OrphanedQemu();
        var (doctorCode, doctorOutput, doctorError) = await BuilderProcess.RunAsync(store.Folder, Environment, "doctor", "--clean");
        if (doctorCode != 0) fail($"builder doctor --clean exited {doctorCode}: {doctorOutput}{doctorError}");
        var cleaned = doctorOutput.Split('\n').Count(l => l.StartsWith("cleaned", StringComparison.Ordinal));
        if (OrphanedQemu() is > 0 and var running) fail($"{running} qemu-img or qemu-system still running after doctor --clean");
        var left = HostTools.LeftBehind(store.Folder).Concat(Leftovers.Under(store.Folder)).Distinct().ToList();
        if (left.Count > 0) fail($"left behind after doctor --clean: {string.Join("; ", left)}");
        if (Directory.Exists(CacheFolder) && Directory.EnumerateDirectories(CacheFolder, ".*").Any()) fail("a partial layer is left in the cache");

        var published = Published();
        Rows.Add(new KillRow(point.Name, point.SignalName, build.At?.ToString() ?? $"{point.Delay.TotalSeconds:0.0} s after start",
            build.Lines.LastOrDefault()?.ToString() ?? "(none)", build.ExitCode, build.StopTime,
            published.Except(before).Select(Short).ToList(), found.Select(Short).ToList(), workAreas, cleaned, seen));
    }

    /// <summary>qemu-img and qemu-system processes naming the test's folder.</summary>
    private int OrphanedQemu() =>
        Leftovers.Under(store.Folder).Count(item => item.EndsWith(" qemu-img", StringComparison.Ordinal) || item.Contains(" qemu-system", StringComparison.Ordinal));

    /// <summary>Builds the recipe to the end: it must succeed, reuse every published layer and run no step again when all were.</summary>
    public async Task<IReadOnlyList<BuildLine>> FinishAsync(ITestOutputHelper log)
    {
        var before = Published();
        var (code, text, error) = await BuilderProcess.RunAsync(store.Folder, Environment, "build", recipe, "--json", "--backend", backend);
        Assert.True(code == 0, error);
        var lines = new List<BuildLine>();
        foreach (var raw in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            if (BuildLine.Parse(raw, lines.Count > 0 ? lines[^1].Layer : 0) is { } line) lines.Add(line);
        foreach (var line in lines.Where(l => l is { Event: "layer-started", Id: not null })) layerIds[line.Number!.Value] = line.Id!;
        var build = new FinishedBuild(lines);
        var found = Found(build, before, what => Failures.Add($"final build: {what}"));
        Rows.Add(new KillRow("final build", "-", "-", lines.Last().ToString(), code, TimeSpan.Zero,
            Published().Except(before).Select(Short).ToList(), found.Select(Short).ToList(), 0, 0, 0));
        KillRow.Print(Rows, log);
        return lines;
    }

    /// <summary>
    /// The layers published before this build that it reported as cache hits (and the finish, when it
    /// reached the emit without running one). A published layer the build passed without a hit is a failure.
    /// </summary>
    private List<string> Found(IStoppedBuild build, IReadOnlySet<string> before, Action<string> fail)
    {
        var lines = build.Lines;
        var hits = lines.Where(l => l is { Event: "layer-started", Cache: "hit" }).Select(l => l.Id!).ToList();
        // The hits are reported together, before the first phase: only a build that got that far can be judged.
        if (!lines.Any(l => l.Event == "phase-started")) return hits;
        var known = layerIds.Values.ToHashSet();
        foreach (var missed in before.Where(known.Contains).Except(hits)) fail($"published layer {Short(missed)} was not reused");
        var finish = before.Except(known).SingleOrDefault();
        if (finish is null || !lines.Any(l => l.Phase == "emit")) return hits;
        if (lines.Any(l => l.Phase == "finish")) fail($"the published finish {Short(finish)} was not reused");
        else hits.Add(finish);
        return hits;
    }

    private HashSet<string> Published() =>
        Directory.Exists(CacheFolder)
            ? Directory.EnumerateDirectories(CacheFolder).Select(p => Path.GetFileName(p)).Where(n => !n.StartsWith('.')).ToHashSet()
            : [];

    private string Short(string id) => (layerIds.FirstOrDefault(p => p.Value == id) is { Value: not null } known ? $"L{known.Key}:" : "finish:") + id[..8];

    private static string Identity(string file) => Tools.Run("stat", "-L", "-c", "%s %Y %Z %i", file).Trim();

    /// <summary>A build that ran to the end, judged as a stopped one is.</summary>
    private sealed record FinishedBuild(IReadOnlyList<BuildLine> Lines) : IStoppedBuild;
}

/// <summary>The events of a build that ended (stopped or not).</summary>
internal interface IStoppedBuild
{
    IReadOnlyList<BuildLine> Lines { get; }
}
