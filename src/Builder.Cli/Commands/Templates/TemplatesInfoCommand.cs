using System.CommandLine;

namespace Builder.Cli.Commands.Templates;

/// <summary>`builder templates info` (not written yet).</summary>
internal static class TemplatesInfoCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("info", "(not written yet)");
        command.SetAction(_ =>
        {
            context.Error.WriteLine("error: builder templates info is not written yet");
            return ExitCodes.InvalidInput;
        });
        return command;
    }
}
