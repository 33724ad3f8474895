using Builder.Execution;

namespace Builder.Cli;

/// <summary>
/// Progress as plain lines, for logs and pipes: each phase and step on its own line, stamped
/// with the time since the build began, so the time each one took reads off the next stamp.
/// </summary>
/// With <paramref name="recipe"/> (builds of many recipes at once), each line names its recipe.
internal sealed class LineRenderer(TextWriter output, TextWriter error, bool verbose, TimeProvider time, string? recipe = null) : IProgress<BuildEvent>
{
    private static readonly Lock Gate = new();
    private readonly long started = time.GetTimestamp();
    private readonly string prefix = recipe is null ? "" : recipe + ": ";

    public void Report(BuildEvent buildEvent)
    {
        lock (Gate)
        {
            switch (buildEvent)
            {
                case BuildStarted started:
                    output.WriteLine(prefix + EventText.Started(started));
                    break;
                case PhaseStarted phase:
                    Line(phase.Description);
                    break;
                case StepStarted step:
                    Line(EventText.Step(step));
                    break;
                case LayerStarted layer:
                    Line(EventText.Layer(layer));
                    break;
                case StepOutput line:
                    output.WriteLine("          | " + prefix + line.Line);
                    break;
                case Notice notice:
                    Line("note: " + notice.Message);
                    break;
                case TraceLine trace when verbose:
                    error.WriteLine($"  {trace.Source}: {trace.Text}");
                    break;
                case PasswordGenerated password:
                    error.WriteLine(EventText.Password(password));
                    break;
                case BuildSucceeded done:
                    Line(EventText.Succeeded(done));
                    break;
            }
            output.Flush();
        }
    }

    private void Line(string text)
    {
        var elapsed = time.GetElapsedTime(started);
        output.WriteLine($"[{(int)elapsed.TotalMinutes:00}:{elapsed.Seconds:00}.{elapsed.Milliseconds / 100}] {prefix}{text}");
    }
}
