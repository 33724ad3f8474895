using Builder.Execution;
using Builder.Recipes;

namespace Builder.Cli;

/// <summary>The words shared by the line and live renderers.</summary>
internal static class EventText
{
    public static string Started(BuildStarted started) =>
        $"Building {started.Recipe}: {started.Steps} step{(started.Steps == 1 ? "" : "s")} -> {Relative(started.Output)} ({started.Format})";

    public static string Step(StepStarted step) =>
        $"({step.Number.ToString().PadLeft(step.Count.ToString().Length)}/{step.Count}) {step.Description}";

    public static string Succeeded(BuildSucceeded done) =>
        $"Built {Relative(done.Output)}: {done.Format}, {ByteSize.Format(done.VirtualSize)} virtual, {ByteSize.Format(done.FileSize)} on disk, in {Seconds(done.Elapsed)}";

    public static string Password(PasswordGenerated generated) =>
        $"Generated password for {generated.User}: {generated.Password}   (shown once; it is not saved anywhere)";

    public static string Seconds(TimeSpan elapsed) => $"{elapsed.TotalSeconds:0.0} s";

    public static string Relative(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
