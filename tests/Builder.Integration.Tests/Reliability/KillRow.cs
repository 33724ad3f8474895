using Xunit.Abstractions;

namespace Builder.IntegrationTests.Reliability;

/// <summary>
/// One line of the kill table: where the build was stopped, how, what the layer cache held and gave
/// back, the work areas beside the output, what `builder doctor --clean` cleaned, and the orphaned
/// qemu processes (an emit's qemu-img convert, the appliance's qemu) that ended on their own.
/// </summary>
internal sealed record KillRow(
    string Point, string Signal, string At, string LastEvent, int ExitCode, TimeSpan StopTime,
    IReadOnlyList<string> Published, IReadOnlyList<string> Found, int WorkAreas, int Cleaned, int OrphanedQemu)
{
    public static void Print(IReadOnlyList<KillRow> rows, ITestOutputHelper log)
    {
        log.WriteLine($"{"#",-3}{"kill point",-28}{"signal",-8}{"sent after",-34}{"last event seen",-34}{"exit",-5}{"stop",-7}{"published",-36}{"reused (hits)",-48}{"work",-5}{"cleaned",-8}orphaned qemu");
        foreach (var (row, index) in rows.Select((r, i) => (r, i + 1)))
            log.WriteLine($"{index,-3}{row.Point,-28}{row.Signal,-8}{row.At,-34}{row.LastEvent,-34}{row.ExitCode,-5}{row.StopTime.TotalSeconds,-7:0.00}" +
                $"{Join(row.Published),-36}{Join(row.Found),-48}{row.WorkAreas,-5}{row.Cleaned,-8}{row.OrphanedQemu}");
    }

    private static string Join(IReadOnlyList<string> ids) => ids.Count == 0 ? "-" : string.Join(" ", ids);
}
