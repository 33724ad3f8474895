using System.Globalization;
using System.Text.RegularExpressions;

namespace Builder.Recipes;

/// <summary>Sizes as people write them: 8G, 512M, 10GiB, 1.5T, or a plain number of bytes. K, M, G, T are powers of 1024, as in qemu-img.</summary>
public static partial class ByteSize
{
    public static long? Parse(string text)
    {
        var match = Pattern().Match(text.Trim());
        if (!match.Success) return null;
        var number = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        var unit = match.Groups["u"].Value.ToUpperInvariant();
        var multiplier = unit.Length == 0 ? 1L : unit[0] switch
        {
            'K' => 1L << 10,
            'M' => 1L << 20,
            'G' => 1L << 30,
            'T' => 1L << 40,
            _ => 1L,
        };
        var bytes = number * multiplier;
        return bytes is > 0 and < long.MaxValue / 2 ? (long)bytes : null;
    }

    public static string Format(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        var value = (double)bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{bytes} B" : value.ToString(value < 10 ? "0.#" : "0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    [GeneratedRegex("^(?<n>[0-9]+(\\.[0-9]+)?)\\s*(?<u>([KMGTkmgt](i?[Bb])?|[Bb])?)$")]
    private static partial Regex Pattern();
}
