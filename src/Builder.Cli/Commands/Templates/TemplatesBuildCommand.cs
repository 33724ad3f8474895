using System.CommandLine;

namespace Builder.Cli.Commands.Templates;

/// <summary>`builder templates build` (not written yet).</summary>
internal static class TemplatesBuildCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("build", "(not written yet)");
        command.SetAction(_ =>
        {
            context.Error.WriteLine("error: builder templates build is not written yet");
            return ExitCodes.InvalidInput;
        });
        return command;
    }
}
