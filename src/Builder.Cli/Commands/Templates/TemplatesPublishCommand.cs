using System.CommandLine;

namespace Builder.Cli.Commands.Templates;

/// <summary>`builder templates publish` (not written yet).</summary>
internal static class TemplatesPublishCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("publish", "(not written yet)");
        command.SetAction(_ =>
        {
            context.Error.WriteLine("error: builder templates publish is not written yet");
            return ExitCodes.InvalidInput;
        });
        return command;
    }
}
