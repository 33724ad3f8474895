using System.Text.RegularExpressions;
using Builder.Steps.Options;
using Builder.Steps.Support;

namespace Builder.Steps.Machine;

public sealed record HostnameOptions(
    [Doc("The host name, short (web1) or fully qualified (web1.example.com)"), Shorthand] string Name);

public sealed partial class HostnameStep : StepKind<HostnameOptions>
{
    public override string Name => "hostname";
    public override string Summary => "Set the host name in /etc/hostname and its /etc/hosts entry";
    public override string Example => "- hostname: web1.example.com";

    protected override void Validate(HostnameOptions options, StepValidation validation)
    {
        if (options.Name.Length > 253 || !Label().IsMatch(options.Name))
            validation.Error("name", $"'{options.Name}' is not a valid host name",
                "use letters, digits and '-' in dot-separated labels of at most 63 characters (RFC 1123)");
    }

    protected override string? ConflictKey(HostnameOptions options) => "the host name";

    protected override string Describe(HostnameOptions options) => $"Setting the host name to {options.Name}";

    protected override async Task ExecuteAsync(HostnameOptions options, StepContext context, CancellationToken cancellationToken)
    {
        await GuestText.WriteAsync(context.Guest, "/etc/hostname", options.Name + "\n", cancellationToken);

        // Debian's convention, which systemd and most distributions share: the host's own name
        // resolves through a 127.0.1.1 line. Replace that line, or add one after localhost.
        var hosts = await GuestText.ReadIfExistsAsync(context.Guest, "/etc/hosts", cancellationToken)
                    ?? "127.0.0.1\tlocalhost\n";
        var ending = GuestText.LineEnding(hosts);
        var shortName = options.Name.Split('.')[0];
        var entry = shortName == options.Name ? $"127.0.1.1\t{options.Name}" : $"127.0.1.1\t{options.Name} {shortName}";
        var lines = GuestText.Lines(hosts).ToList();
        var existing = lines.FindIndex(l => l.StartsWith("127.0.1.1", StringComparison.Ordinal) && l.Length > 9 && char.IsWhiteSpace(l[9]));
        if (existing >= 0)
        {
            lines[existing] = entry;
            lines.RemoveAll(l => l != entry && l.StartsWith("127.0.1.1", StringComparison.Ordinal) && l.Length > 9 && char.IsWhiteSpace(l[9]));
        }
        else
        {
            var localhost = lines.FindIndex(l => l.StartsWith("127.0.0.1", StringComparison.Ordinal));
            lines.Insert(localhost + 1, entry);
        }
        await GuestText.WriteAsync(context.Guest, "/etc/hosts", GuestText.Join(lines, ending), cancellationToken);
    }

    [GeneratedRegex("^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")]
    private static partial Regex Label();
}
