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

/// <summary>What a step does to the guest's package caches (downloaded packages and lists).</summary>
public enum PackageCacheUse
{
    None,

    /// <summary>It fills them; the image's finish cleans them.</summary>
    Clean,

    /// <summary>It fills them and asks to keep them (keep-cache: true): the finish leaves them.</summary>
    Keep,
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

    /// <summary>
    /// Whether a cached layer ends after this step: true for the expensive ones (packages, scripts),
    /// so a rebuild resumes after them. Cheap file steps join the layer of the next expensive step.
    /// </summary>
    bool EndsLayer { get; }

    OptionsShape Options { get; }

    /// <summary>
    /// Whether the step's effect can differ between two runs with the same options: it reads a
    /// secret (whose value no cache key may hold) or makes up a random value. Such a step, and
    /// everything after it, is never taken from the layer cache.
    /// </summary>
    bool IsVolatile(object options);

    /// <summary>Whether the step leaves package caches that the finish removes (or, with keep-cache, asks to keep them).</summary>
    PackageCacheUse PackageCaches(object options);

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
