using Builder.Execution;

namespace Builder.Cli;

/// <summary>Chooses how progress is shown: JSON lines (--json), a live display on a terminal, or plain lines.</summary>
internal static class ProgressOutput
{
    public static async Task<T> RunAsync<T>(CliContext context, bool json, bool verbose, TimeProvider time,
        Func<IProgress<BuildEvent>, Task<T>> work)
    {
        if (json) return await work(new JsonRenderer(context.Output, context.Error, time));
        if (!Consoles.IsTerminal(context.Output)) return await work(new LineRenderer(context.Output, context.Error, verbose, time));
        var live = new LiveRenderer(Consoles.For(context.Output), context.Error, verbose);
        return await live.RunAsync(() => work(live));
    }
}
