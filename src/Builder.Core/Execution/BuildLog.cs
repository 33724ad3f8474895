namespace Builder.Execution;

/// <summary>
/// The build log: every event of a build as a line of text, in a file beside the output
/// (NAME.build.log), written as the build goes and kept whether it succeeds or not. Never inside
/// the image. Secret values never reach it: step output is masked before it becomes an event, and
/// a generated password is only said to exist.
/// </summary>
internal sealed class BuildLog : IBuildEvents, IDisposable
{
    private readonly StreamWriter writer;
    private readonly IBuildEvents inner;
    private readonly bool trace;
    private readonly TimeProvider time;
    private readonly long started;
    private readonly Lock gate = new();

    private BuildLog(StreamWriter writer, IBuildEvents inner, bool trace, TimeProvider time)
    {
        this.writer = writer;
        this.inner = inner;
        this.trace = trace;
        this.time = time;
        started = time.GetTimestamp();
    }

    public static string PathFor(string outputPath) => outputPath + ".build.log";

    public static BuildLog Open(string outputPath, IBuildEvents inner, bool trace, TimeProvider time)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
        var writer = new StreamWriter(PathFor(outputPath), append: false) { AutoFlush = true };
        return new BuildLog(writer, inner, trace, time);
    }

    public void Emit(BuildEvent buildEvent)
    {
        inner.Emit(buildEvent);
        if (Text(buildEvent) is not { } text) return;
        var elapsed = time.GetElapsedTime(started);
        lock (gate) writer.WriteLine($"[{(int)elapsed.TotalMinutes:00}:{elapsed.Seconds:00}.{elapsed.Milliseconds / 100}] {text}");
    }

    private string? Text(BuildEvent buildEvent) => buildEvent switch
    {
        BuildStarted e => $"building {e.Recipe}: {e.Steps} steps -> {e.Output} ({e.Format}) on the {e.Backend} backend ({e.BackendReason})",
        PhaseStarted e => e.Description,
        PhaseCompleted e => $"  {e.Phase} done in {e.Elapsed.TotalSeconds:0.0} s",
        StepStarted e => $"({e.Number}/{e.Count}) {e.Description}  [{e.Source}, id {e.Id[..12]}]",
        StepOutput e => $"    | {e.Line}",
        StepCompleted e => $"  step {e.Number} done in {e.Elapsed.TotalSeconds:0.0} s",
        Notice e => "note: " + e.Message,
        TraceLine e when trace => $"  {e.Source}: {e.Text}",
        PasswordGenerated e => $"generated a random password for {e.User} (shown once on the terminal; not logged)",
        BuildSucceeded e => $"built {e.Output}: {e.Format}, {e.VirtualSize} bytes virtual, {e.FileSize} bytes long, {e.AllocatedSize} bytes allocated"
            + (e.SavedByTrimming is { } saved ? $", {saved} bytes saved by trimming" : "") + $", in {e.Elapsed.TotalSeconds:0.0} s",
        BuildFailed e => $"FAILED after {e.Elapsed.TotalSeconds:0.0} s: {e.Message}" + (e.Hint is null ? "" : "\n  hint: " + e.Hint),
        _ => null,
    };

    public void Dispose() => writer.Dispose();
}
