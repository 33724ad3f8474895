using Builder.Execution;
using Builder.Recipes;

namespace Builder.Cli;

/// <summary>The words shared by the line and live renderers.</summary>
internal static class EventText
{
    public static string Started(BuildStarted started) =>
        $"Building {started.Recipe}: {started.Steps} step{(started.Steps == 1 ? "" : "s")} -> {Relative(started.Output)} ({started.Format}), on the {started.Backend} backend";

    public static string Step(StepStarted step) =>
        $"({step.Number.ToString().PadLeft(step.Count.ToString().Length)}/{step.Count}) {step.Description}";

    public static string Layer(LayerStarted layer)
    {
        var steps = layer.FirstStep == layer.LastStep ? $"step {layer.FirstStep}" : $"steps {layer.FirstStep}-{layer.LastStep}";
        var head = $"Layer {layer.Number}/{layer.Count} ({steps}, {layer.Id[..12]})";
        if (layer.Cache == "hit") return $"{head}: cached";
        if (layer.BuiltBy is not null) return $"{head}: shared, built by recipe {layer.BuiltBy}";
        return $"{head}: building, {layer.Reason}";
    }

    public static string Succeeded(BuildSucceeded done) =>
        $"Built {Relative(done.Output)}: {done.Format}, {ByteSize.Format(done.VirtualSize)} virtual, {ByteSize.Format(done.AllocatedSize)} allocated"
        + (done.SavedByTrimming is { } saved ? $" ({ByteSize.Format(saved)} saved by trimming)" : "") + $", in {Seconds(done.Elapsed)}";

    public static string Password(PasswordGenerated generated) =>
        $"Generated password for {generated.User}: {generated.Password}   (shown once; it is not saved anywhere)";

    public static string Seconds(TimeSpan elapsed) => $"{elapsed.TotalSeconds:0.0} s";

    public static string Relative(string path)
    {
        if (path == BuildOptions.StreamedOutputName) return "stdout";
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
