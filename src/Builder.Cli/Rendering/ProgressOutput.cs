using Builder.Execution;

namespace Builder.Cli;

/// <summary>Chooses how progress is shown: JSON lines (--json), a live display on a terminal, or plain lines.</summary>
internal static class ProgressOutput
{
    public static Task<T> RunAsync<T>(CliContext context, bool json, bool verbose, TimeProvider time,
        Func<IProgress<BuildEvent>, Task<T>> work) =>
        RunAsync(context.Output, context.Error, json, verbose, time, work);

    /// <param name="output">Where progress goes: standard output, or standard error when standard output carries the image (-o -).</param>
    public static async Task<T> RunAsync<T>(TextWriter output, TextWriter error, bool json, bool verbose, TimeProvider time,
        Func<IProgress<BuildEvent>, Task<T>> work)
    {
        if (json) return await work(new JsonRenderer(output, error, time));
        if (!Consoles.IsTerminal(output)) return await work(new LineRenderer(output, error, verbose, time));
        var live = new LiveRenderer(Consoles.For(output), error, verbose);
        return await live.RunAsync(() => work(live));
    }
}
