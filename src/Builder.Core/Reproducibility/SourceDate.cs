using System.Globalization;

namespace Builder.Reproducibility;

/// <summary>Where a build's source date comes from, in order of precedence.</summary>
public enum SourceDateOrigin { Recipe, Environment, Git }

/// <summary>
/// The build's source date (reproducible-builds.org's SOURCE_DATE_EPOCH): the time the sources were
/// last changed, which a reproducible image uses instead of the clock. The plan and the manifest
/// record it; no image content and no step id depends on it yet.
/// </summary>
/// <param name="Epoch">Seconds since 1970-01-01 UTC.</param>
public sealed record SourceDate(long Epoch, SourceDateOrigin Origin)
{
    /// <summary>9999-12-31T23:59:59Z, the last second a <see cref="DateTimeOffset"/> holds.</summary>
    public const long MaxEpoch = 253402300799;

    /// <summary>"recipe", "environment" or "git": how plans and manifests name the origin.</summary>
    public string From => OriginName(Origin);

    public static string OriginName(SourceDateOrigin origin) => origin switch
    {
        SourceDateOrigin.Recipe => "recipe",
        SourceDateOrigin.Environment => "environment",
        _ => "git",
    };

    /// <summary>Whole non-negative seconds, as a decimal integer with no sign or spaces; null otherwise.</summary>
    public static long? ParseEpoch(string text) =>
        text.Length is > 0 and <= 12 && text.All(char.IsAsciiDigit)
        && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= MaxEpoch
            ? seconds
            : null;

    public override string ToString() =>
        $"{Epoch.ToString(CultureInfo.InvariantCulture)} ({DateTimeOffset.FromUnixTimeSeconds(Epoch):yyyy-MM-dd'T'HH:mm:ss'Z'}, from {From})";
}
