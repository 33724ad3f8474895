using System.CommandLine;
using Builder.Templates.Repositories;

namespace Builder.Cli.Commands.Templates;

/// <summary>--source, --no-check-signature and --no-check-checksum, as virt-builder has them; on every templates command and on build.</summary>
internal sealed class RepositoryFlags
{
    public Option<string[]> Source { get; } = new("--source")
    {
        Description = "Also read this virt-builder index (file://, http://, https://); repeatable",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<bool> NoCheckSignature { get; } = new("--no-check-signature")
    {
        Description = "Accept repository indexes without a valid gpg signature (insecure)",
    };

    public Option<bool> NoCheckChecksum { get; } = new("--no-check-checksum")
    {
        Description = "Accept downloaded templates whose sha512 is missing or wrong (insecure)",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Source);
        command.Options.Add(NoCheckSignature);
        command.Options.Add(NoCheckChecksum);
    }

    public RepositoryOptions Read(ParseResult parse) =>
        new(parse.GetValue(Source) ?? [], !parse.GetValue(NoCheckSignature), !parse.GetValue(NoCheckChecksum));
}
