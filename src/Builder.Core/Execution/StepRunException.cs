using Builder.Planning;

namespace Builder.Execution;

/// <summary>A step failed while running; carries the step so the error can point at the recipe.</summary>
internal sealed class StepRunException(PlannedStep step, Exception inner) : Exception(inner.Message, inner)
{
    public PlannedStep Step { get; } = step;
}
