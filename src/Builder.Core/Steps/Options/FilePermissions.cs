namespace Builder.Steps.Options;

/// <summary>Permission bits, written in recipes as an octal string ("0644", "755", "4755").</summary>
public sealed record FilePermissions(int Value)
{
    public override string ToString() => "0" + Convert.ToString(Value, 8).PadLeft(3, '0');

    public static bool TryParse(string text, out FilePermissions mode)
    {
        mode = new FilePermissions(0);
        var digits = text.StartsWith("0o", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (digits.Length is < 3 or > 5 || !digits.All(c => c is >= '0' and <= '7')) return false;
        var value = Convert.ToInt32(digits, 8);
        if (value > 0x0FFF) return false;
        mode = new FilePermissions(value);
        return true;
    }
}
