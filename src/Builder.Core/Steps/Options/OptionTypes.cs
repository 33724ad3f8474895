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
        new StringListOptionType(),
        new DataSizeOptionType(),
        new EnvironmentOptionType(),
        new LocalFolderOptionType(),
    }.ToDictionary(t => t.ClrType);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, OptionType> Derived = new();

    public static OptionType For(Type clrType)
    {
        var type = Nullable.GetUnderlyingType(clrType) ?? clrType;
        if (ByClrType.TryGetValue(type, out var optionType)) return optionType;
        if (type.IsEnum) return Derived.GetOrAdd(type, t => new EnumOptionType(t));
        // A nested options record: a sealed record whose constructor parameters are documented.
        if (type.IsClass && type.IsSealed && type.GetMethod("<Clone>$") is not null)
            return Derived.GetOrAdd(type, t => new RecordOptionType(t));
        throw new InvalidOperationException($"options may not use the type {type.Name}; add an OptionType for it");
    }
}
