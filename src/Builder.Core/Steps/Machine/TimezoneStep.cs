using System.Text.RegularExpressions;
using Builder.Steps.Options;
using Builder.Steps.Support;

namespace Builder.Steps.Machine;

public sealed record TimezoneOptions(
    [Doc("An IANA time zone name from the guest's /usr/share/zoneinfo, for example Europe/London or UTC"), Shorthand] string Zone);

public sealed partial class TimezoneStep : StepKind<TimezoneOptions>
{
    private const string ZoneInfo = "/usr/share/zoneinfo";

    public override string Name => "timezone";
    public override string Summary => "Set the time zone: the /etc/localtime link, and /etc/timezone on Debian-like guests";
    public override string Example => "- timezone: Europe/London";

    protected override void Validate(TimezoneOptions options, StepValidation validation)
    {
        if (!ZoneName().IsMatch(options.Zone) || options.Zone.Split('/').Any(part => part is "." or ".."))
            validation.Error("zone", $"'{options.Zone}' is not a time zone name", "use an IANA name such as Europe/London, America/New_York or UTC");
    }

    protected override string? ConflictKey(TimezoneOptions options) => "the time zone";

    protected override string Describe(TimezoneOptions options) => $"Setting the time zone to {options.Zone}";

    protected override async Task ExecuteAsync(TimezoneOptions options, StepContext context, CancellationToken cancellationToken)
    {
        var zoneFile = $"{ZoneInfo}/{options.Zone}";
        if (await context.Guest.LstatAsync(zoneFile, cancellationToken) is null)
            throw new StepFailedException($"the time zone '{options.Zone}' is unknown to the guest: {zoneFile} does not exist",
                "check the name's spelling and capitals, and that the guest has its time zone data (tzdata)");
        await context.Guest.SymlinkAsync(zoneFile, "/etc/localtime", cancellationToken);

        var debianLike = context.Guest.Info.PackageManager == "apt"
                         || await context.Guest.LstatAsync("/etc/timezone", cancellationToken) is not null;
        if (debianLike) await GuestText.WriteAsync(context.Guest, "/etc/timezone", options.Zone + "\n", cancellationToken);
    }

    [GeneratedRegex("^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$")]
    private static partial Regex ZoneName();
}
