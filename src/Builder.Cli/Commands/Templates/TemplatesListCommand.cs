using System.CommandLine;

namespace Builder.Cli.Commands.Templates;

/// <summary>`builder templates list` (not written yet).</summary>
internal static class TemplatesListCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("list", "(not written yet)");
        command.SetAction(_ =>
        {
            context.Error.WriteLine("error: builder templates list is not written yet");
            return ExitCodes.InvalidInput;
        });
        return command;
    }
}
