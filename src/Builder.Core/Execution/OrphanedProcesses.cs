using System.Globalization;
using System.Text.RegularExpressions;
using Builder.Processes;

namespace Builder.Execution;

/// <summary>
/// Processes a killed build left running: a qemu-img still converting into its work area, an
/// appliance's qemu on an overlay there or in a layer the cache never got. They are not in any
/// session journal, so they are found by what they name: a program of qemu's whose arguments hold
/// a folder that is abandoned (a work area whose lock is free, a layer folder of the cache whose
/// build is gone). `builder doctor --clean` stops them, and so does the next build of the output.
/// </summary>
public static partial class OrphanedProcesses
{
    /// <summary>One such process: its pid, its program and the abandoned folder it names.</summary>
    public sealed record Orphan(int Pid, string Program, string Folder)
    {
        public override string ToString() => $"{Program} (pid {Pid.ToString(CultureInfo.InvariantCulture)}) on {Folder}";
    }

    /// <summary>The qemu programs whose processes name work areas or layer folders.</summary>
    private static bool IsQemu(string program) => program.StartsWith("qemu-img", StringComparison.Ordinal)
                                                  || program.StartsWith("qemu-system", StringComparison.Ordinal);

    /// <summary>Those naming a work area whose build is gone, or one of <paramref name="abandonedLayers"/> (the caches' abandoned layer folders).</summary>
    public static IReadOnlyList<Orphan> Find(IReadOnlyCollection<string> abandonedLayers) =>
        Find(folder => abandonedLayers.Contains(folder) || (folder.Contains(".builder-work-", StringComparison.Ordinal) && WorkArea.IsAbandoned(folder)));

    /// <param name="abandoned">Whether a folder named in the arguments belongs to a build that is gone.</param>
    internal static IReadOnlyList<Orphan> Find(Func<string, bool> abandoned)
    {
        var found = new List<Orphan>();
        foreach (var pid in Pids())
        {
            var arguments = ProcFs.Arguments(pid);
            if (arguments.Count == 0 || !IsQemu(Path.GetFileName(arguments[0]))) continue;
            var folder = arguments.SelectMany(a => Folders().Matches(a)).Select(m => m.Value).FirstOrDefault(abandoned);
            if (folder is not null) found.Add(new Orphan(pid, Path.GetFileName(arguments[0]), folder));
        }
        return found;
    }

    /// <summary>Kills each (SIGKILL) and waits a moment for it to go; returns what was stopped.</summary>
    public static IReadOnlyList<Orphan> Kill(IEnumerable<Orphan> orphans) =>
        orphans.Where(orphan => ProcFs.Kill(orphan.Pid, TimeSpan.FromSeconds(5))).ToList();

    /// <summary>A work area (/…/.NAME.builder-work-XXXXXXXX) or a layer being built (/…/.building-ID-XXXXXXXX), as named in an argument.</summary>
    [GeneratedRegex(@"/(?:[^,/\0]+/)*\.(?:[^/,\0]+\.builder-work-[0-9a-f]{8}|building-[0-9a-f]{64}-[0-9a-f]{8})")]
    private static partial Regex Folders();

    private static IEnumerable<int> Pids() => ProcFs.Pids().Where(pid => pid != Environment.ProcessId);
}
