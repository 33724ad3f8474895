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

    public async Task<T> RunAsync<T>(Func<Task<T>> build)
    {
        T result = default!;
        await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                lock (gate) context = progress;
                result = await build();
                lock (gate) Finish();
            });
        return result;
    }

    public void Report(BuildEvent buildEvent)
    {
        lock (gate)
        {
            switch (buildEvent)
            {
                case BuildStarted started:
                    Begin(EventText.Started(started));
                    Finish();
                    break;
                case PhaseStarted phase:
                    Begin(phase.Description);
                    break;
                case StepStarted step:
                    Begin(EventText.Step(step));
                    break;
                case PhaseCompleted or StepCompleted:
                    Finish();
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
                    Begin(EventText.Succeeded(done));
                    Finish();
                    break;
            }
        }
    }

    private void Begin(string description)
    {
        Finish();
        if (context is null) return;
        current = context.AddTask(Markup.Escape(description), maxValue: 1);
        current.IsIndeterminate = true;
    }

    private void Finish()
    {
        if (current is null) return;
        current.IsIndeterminate = false;
        current.Value = 1;
        current.StopTask();
        current = null;
    }
}
