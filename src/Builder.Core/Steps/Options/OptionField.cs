namespace Builder.Steps.Options;

/// <summary>One option of a step, derived from a parameter of its options record.</summary>
/// <param name="Name">The YAML key: the parameter's name in kebab-case.</param>
public sealed record OptionField(
    string Name,
    string Description,
    OptionType Type,
    bool Required,
    bool IsShorthand,
    object? DefaultValue);
