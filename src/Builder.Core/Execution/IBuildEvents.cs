namespace Builder.Execution;

/// <summary>Where the parts of a build report their events.</summary>
public interface IBuildEvents
{
    void Emit(BuildEvent buildEvent);

    static IBuildEvents None { get; } = new NoEvents();

    static IBuildEvents From(IProgress<BuildEvent>? progress) =>
        progress is null ? None : new ProgressEvents(progress);

    private sealed class NoEvents : IBuildEvents
    {
        public void Emit(BuildEvent buildEvent) { }
    }

    /// <summary>Synchronous: IProgress&lt;T&gt; from Progress&lt;T&gt; would post to a context; we call Report directly.</summary>
    private sealed class ProgressEvents(IProgress<BuildEvent> progress) : IBuildEvents
    {
        public void Emit(BuildEvent buildEvent) => progress.Report(buildEvent);
    }
}
