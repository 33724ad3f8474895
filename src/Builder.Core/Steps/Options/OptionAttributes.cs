namespace Builder.Steps.Options;

/// <summary>Documents one option of a step: shown in the schema, `builder steps` and the README.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class DocAttribute(string text) : Attribute
{
    public string Text { get; } = text;
}

/// <summary>
/// The option a step's short form binds to: `mkdir: /srv/app` means `mkdir: { path: /srv/app }`.
/// At most one per step.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class ShorthandAttribute : Attribute;

/// <summary>Exactly one of these options must be given (for example the password sources).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ExactlyOneOfAttribute(params string[] options) : Attribute
{
    public IReadOnlyList<string> Options { get; } = options;
}
