namespace Builder.Execution;

/// <summary>
/// Work reported as a named phase: <see cref="PhaseStarted"/>, then <see cref="PhaseCompleted"/>
/// with its elapsed time. Work that throws completes no phase: the failure is the build's to report.
/// </summary>
public static class Phases
{
    public static async Task<T> PhaseAsync<T>(this IBuildEvents events, TimeProvider time, string name, string description, Func<Task<T>> work)
    {
        var started = time.GetTimestamp();
        events.Emit(new PhaseStarted(name, description));
        var result = await work();
        events.Emit(new PhaseCompleted(name, time.GetElapsedTime(started)));
        return result;
    }

    public static Task PhaseAsync(this IBuildEvents events, TimeProvider time, string name, string description, Func<Task> work) =>
        events.PhaseAsync(time, name, description, async () =>
        {
            await work();
            return true;
        });
}
