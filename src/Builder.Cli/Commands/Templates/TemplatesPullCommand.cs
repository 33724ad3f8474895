using System.CommandLine;

namespace Builder.Cli.Commands.Templates;

/// <summary>`builder templates pull` (not written yet).</summary>
internal static class TemplatesPullCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("pull", "(not written yet)");
        command.SetAction(_ =>
        {
            context.Error.WriteLine("error: builder templates pull is not written yet");
            return ExitCodes.InvalidInput;
        });
        return command;
    }
}
