using System.Reflection;
using System.Text;

namespace Builder.Steps.Options;

/// <summary>
/// The options of a step kind, read once from its options record: every constructor parameter is
/// an option, named in kebab-case, documented by [Doc], required unless nullable or defaulted.
/// </summary>
public sealed class OptionsShape
{
    private readonly ConstructorInfo constructor;

    private OptionsShape(Type optionsType, ConstructorInfo constructor, IReadOnlyList<OptionField> fields, IReadOnlyList<string> exactlyOneOf)
    {
        OptionsType = optionsType;
        this.constructor = constructor;
        Fields = fields;
        ExactlyOneOf = exactlyOneOf;
    }

    public Type OptionsType { get; }

    public IReadOnlyList<OptionField> Fields { get; }

    public OptionField? Shorthand => Fields.SingleOrDefault(f => f.IsShorthand);

    /// <summary>Options of which exactly one must be given; empty when there is no such rule.</summary>
    public IReadOnlyList<string> ExactlyOneOf { get; }

    public OptionField? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);

    public static OptionsShape For(Type optionsType)
    {
        var constructor = optionsType.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var nullability = new NullabilityInfoContext();
        var fields = constructor.GetParameters().Select(p => new OptionField(
            Name: KebabCase(p.Name!),
            Description: p.GetCustomAttribute<DocAttribute>()?.Text
                ?? throw new InvalidOperationException($"{optionsType.Name}.{p.Name} needs a [Doc] description"),
            Type: OptionTypes.For(p.ParameterType),
            Required: !p.HasDefaultValue && nullability.Create(p).WriteState != NullabilityState.Nullable
                      && Nullable.GetUnderlyingType(p.ParameterType) is null,
            IsShorthand: p.GetCustomAttribute<ShorthandAttribute>() is not null,
            DefaultValue: p.HasDefaultValue ? p.DefaultValue : null)).ToList();

        if (fields.Count(f => f.IsShorthand) > 1)
            throw new InvalidOperationException($"{optionsType.Name} has more than one [Shorthand] option");
        var exactlyOneOf = optionsType.GetCustomAttribute<ExactlyOneOfAttribute>()?.Options ?? [];
        foreach (var name in exactlyOneOf.Where(n => fields.All(f => f.Name != n)))
            throw new InvalidOperationException($"{optionsType.Name}: [ExactlyOneOf] names unknown option '{name}'");
        return new OptionsShape(optionsType, constructor, fields, exactlyOneOf);
    }

    /// <summary>Builds the options record from values by field; missing optional ones take their defaults.</summary>
    internal object Create(IReadOnlyDictionary<string, object> values) =>
        constructor.Invoke(Fields.Select(f => values.TryGetValue(f.Name, out var v) ? v : f.DefaultValue).ToArray());

    /// <summary>The value of each field of an options record, by field name.</summary>
    internal IEnumerable<(OptionField Field, object? Value)> Values(object options)
    {
        foreach (var field in Fields)
        {
            var property = OptionsType.GetProperty(PascalCase(field.Name))
                ?? throw new InvalidOperationException($"{OptionsType.Name} has no property for option '{field.Name}'");
            yield return (field, property.GetValue(options));
        }
    }

    internal static string KebabCase(string name)
    {
        var text = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0) text.Append('-');
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }

    private static string PascalCase(string kebab) =>
        string.Concat(kebab.Split('-').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
}
