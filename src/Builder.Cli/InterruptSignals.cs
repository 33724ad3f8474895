using System.Runtime.InteropServices;

namespace Builder.Cli;

/// <summary>
/// Turns the first Ctrl-C, SIGINT or SIGTERM into a cancellation, so the build tears down (appliance,
/// work files) before the process exits. A second signal is left to its default: exit at once.
/// </summary>
internal sealed class InterruptSignals : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly List<PosixSignalRegistration> registrations = [];
    private readonly TextWriter error;

    public InterruptSignals(TextWriter error)
    {
        this.error = error;
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
    }

    public CancellationToken Token => source.Token;

    private void OnSignal(PosixSignalContext context)
    {
        if (source.IsCancellationRequested) return;
        context.Cancel = true;
        error.WriteLine($"\n{context.Signal}: stopping the build and cleaning up (signal again to exit at once)");
        source.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in registrations) registration.Dispose();
        source.Dispose();
    }
}
