namespace Builder.Steps.Options;

/// <summary>The option value types an options record may use, by CLR type.</summary>
public static class OptionTypes
{
    private static readonly Dictionary<Type, OptionType> ByClrType = new OptionType[]
    {
        new StringOptionType(),
        new BoolOptionType(),
        new GuestPathOptionType(),
        new GuestGlobOptionType(),
        new FilePermissionsOptionType(),
        new LocalFileOptionType(),
        new SecretFileOptionType(),
        new HostOutputFileOptionType(),
        new SecretVariableOptionType(),
    }.ToDictionary(t => t.ClrType);

    public static OptionType For(Type clrType)
    {
        var type = Nullable.GetUnderlyingType(clrType) ?? clrType;
        return ByClrType.TryGetValue(type, out var optionType)
            ? optionType
            : throw new InvalidOperationException($"options may not use the type {type.Name}; add an OptionType for it");
    }
}
