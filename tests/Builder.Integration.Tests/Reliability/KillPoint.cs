namespace Builder.IntegrationTests.Reliability;

/// <summary>
/// Where a build is stopped: <see cref="Delay"/> after the first --json event that <see cref="Trigger"/>
/// accepts (or after the process starts, with no trigger), <see cref="Signal"/> is sent to the
/// `builder` process. SIGKILL gives it no chance to clean up; SIGINT and SIGTERM ask for a graceful stop.
/// </summary>
internal sealed record KillPoint(string Name, Func<BuildLine, bool>? Trigger, TimeSpan Delay, int Signal = KillPoint.SigKill)
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>A delay after the process starts, before any event (start-up, recipe loading, planning, template resolution).</summary>
    public static KillPoint AfterStart(string name, double seconds) => new(name, null, TimeSpan.FromSeconds(seconds));

    /// <summary>On the first event that matches, after a delay in seconds (0: in the handler that reads the line).</summary>
    public static KillPoint On(string name, Func<BuildLine, bool> trigger, double seconds = 0, int signal = SigKill) =>
        new(name, trigger, TimeSpan.FromSeconds(seconds), signal);

    public static Func<BuildLine, bool> Phase(string phase, string started = "phase-started", int? layer = null) =>
        line => line.Event == started && line.Phase == phase && (layer is null || line.Layer == layer);

    public static Func<BuildLine, bool> Step(string kind, int? layer = null) =>
        line => line.Event == "step-started" && line.Kind == kind && (layer is null || line.Layer == layer);

    public static Func<BuildLine, bool> Layer(string started, int number) =>
        line => line.Event == started && line.Number == number;

    public string SignalName => Signal switch { SigInt => "SIGINT", SigTerm => "SIGTERM", _ => "SIGKILL" };
}
