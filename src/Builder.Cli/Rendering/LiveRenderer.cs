using Builder.Execution;
using Spectre.Console;

namespace Builder.Cli;

/// <summary>
/// Progress on a terminal: one line per phase and step with a spinner while it runs and its
/// elapsed time, kept on screen when done.
/// </summary>
internal sealed class LiveRenderer(IAnsiConsole console, TextWriter error, bool verbose) : IProgress<BuildEvent>
{
    private readonly Lock gate = new();
    private ProgressContext? context;
    private ProgressTask? current;
    private string currentText = "";
    private BuildSucceeded? succeeded;

    public async Task<T> RunAsync<T>(Func<Task<T>> build)
    {
        T result = default!;
        await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new SpinnerColumn(), new ElapsedTimeColumn(), new TaskDescriptionColumn { Alignment = Justify.Left })
            .StartAsync(async progress =>
            {
                lock (gate) context = progress;
                result = await build();
                lock (gate) Finish();
            });
        // After the live display has drawn its last frame, so the summary is the last line.
        if (succeeded is not null) console.MarkupLineInterpolated($"[green]{EventText.Succeeded(succeeded)}[/]");
        return result;
    }

    public void Report(BuildEvent buildEvent)
    {
        lock (gate)
        {
            switch (buildEvent)
            {
                case BuildStarted started:
                    console.MarkupLineInterpolated($"[bold]{EventText.Started(started)}[/]");
                    break;
                case PhaseStarted phase:
                    Begin(phase.Description);
                    break;
                case LayerStarted layer:
                    Finish();
                    console.MarkupLineInterpolated($"[dim]{EventText.Layer(layer)}[/]");
                    break;
                case StepStarted step:
                    Begin(EventText.Step(step));
                    break;
                case PhaseCompleted or StepCompleted:
                    Finish();
                    break;
                case StepOutput line when current is not null:
                    // The step's line shows what its command is doing now.
                    var latest = line.Line.Trim();
                    if (latest.Length > 60) latest = latest[..57] + "...";
                    current.Description = Markup.Escape(currentText) + " [dim]" + Markup.Escape(latest) + "[/]";
                    if (verbose) error.WriteLine("  | " + line.Line);
                    break;
                case Notice notice:
                    console.MarkupLineInterpolated($"[yellow]note:[/] {notice.Message}");
                    break;
                case TraceLine trace when verbose:
                    error.WriteLine($"  {trace.Source}: {trace.Text}");
                    break;
                case PasswordGenerated password:
                    error.WriteLine(EventText.Password(password));
                    break;
                case BuildSucceeded done:
                    Finish();
                    succeeded = done;
                    break;
            }
        }
    }

    private void Begin(string description)
    {
        Finish();
        if (context is null) return;
        currentText = description;
        current = context.AddTask(Markup.Escape(description), maxValue: 1);
        current.IsIndeterminate = true;
    }

    private void Finish()
    {
        if (current is null) return;
        current.IsIndeterminate = false;
        current.Description = Markup.Escape(currentText);
        current.Value = 1;
        current.StopTask();
        current = null;
    }
}
