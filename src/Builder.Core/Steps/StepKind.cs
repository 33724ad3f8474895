using Builder.Steps.Options;

namespace Builder.Steps;

/// <summary>The typed base of every step kind: one subclass per kind, with its options record.</summary>
public abstract class StepKind<TOptions> : IStepKind where TOptions : class
{
    private OptionsShape? options;

    public abstract string Name { get; }

    public abstract string Summary { get; }

    public abstract string Example { get; }

    public virtual StepOrder Order => StepOrder.InOrder;

    public virtual bool EndsLayer => false;

    public OptionsShape Options => options ??= OptionsShape.For(typeof(TOptions));

    protected virtual void Validate(TOptions options, StepValidation validation) { }

    protected virtual string? ConflictKey(TOptions options) => null;

    protected virtual bool UsesNetwork(TOptions options) => false;

    protected virtual bool IsVolatile(TOptions options) => false;

    protected virtual PackageCacheUse PackageCaches(TOptions options) => PackageCacheUse.None;

    protected abstract string Describe(TOptions options);

    protected abstract Task ExecuteAsync(TOptions options, StepContext context, CancellationToken cancellationToken);

    void IStepKind.Validate(object options, StepValidation validation) => Validate((TOptions)options, validation);

    string? IStepKind.ConflictKey(object options) => ConflictKey((TOptions)options);

    bool IStepKind.UsesNetwork(object options) => UsesNetwork((TOptions)options);

    bool IStepKind.IsVolatile(object options) => IsVolatile((TOptions)options);

    PackageCacheUse IStepKind.PackageCaches(object options) => PackageCaches((TOptions)options);

    string IStepKind.Describe(object options) => Describe((TOptions)options);

    Task IStepKind.ExecuteAsync(object options, StepContext context, CancellationToken cancellationToken) =>
        ExecuteAsync((TOptions)options, context, cancellationToken);
}
