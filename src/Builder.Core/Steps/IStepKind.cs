using Builder.Steps.Options;

namespace Builder.Steps;

/// <summary>When a step runs relative to the others.</summary>
public enum StepOrder
{
    /// <summary>In recipe order.</summary>
    InOrder,

    /// <summary>After every in-order step, in recipe order among themselves (passwords, as in virt-customize).</summary>
    Last,
}

/// <summary>
/// One kind of step, declared once: its name, summary, example and options record, its checks,
/// and its executor against <see cref="Guests.IGuest"/>. The YAML binding, the JSON schema,
/// `builder steps` and the README reference all derive from this declaration.
/// </summary>
public interface IStepKind
{
    /// <summary>kebab-case, as written in recipes.</summary>
    string Name { get; }

    /// <summary>One line, no trailing period.</summary>
    string Summary { get; }

    /// <summary>A YAML step entry showing typical use, as it would appear under <c>steps:</c>.</summary>
    string Example { get; }

    StepOrder Order { get; }

    OptionsShape Options { get; }

    /// <summary>Checks beyond types (a regex that compiles, a valid hostname).</summary>
    void Validate(object options, StepValidation validation);

    /// <summary>
    /// Two steps with the same key conflict: for example two passwords for one user.
    /// Null when the step never conflicts.
    /// </summary>
    string? ConflictKey(object options);

    /// <summary>Whether the step needs the network (installs, updates, scripts that ask for it). Plans show it.</summary>
    bool UsesNetwork(object options);

    /// <summary>A present-participle line for progress: "Writing /etc/motd".</summary>
    string Describe(object options);

    Task ExecuteAsync(object options, StepContext context, CancellationToken cancellationToken);
}
