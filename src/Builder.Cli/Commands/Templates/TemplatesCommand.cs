using System.CommandLine;

namespace Builder.Cli.Commands.Templates;

/// <summary>`builder templates …`: the template store and repositories.</summary>
internal static class TemplatesCommand
{
    public static Command Create(CliContext context) =>
        new("templates", "Build, pull, list and publish templates (the base images recipes start from)")
        {
            TemplatesListCommand.Create(context),
            TemplatesInfoCommand.Create(context),
            TemplatesBuildCommand.Create(context),
            TemplatesPullCommand.Create(context),
            TemplatesPublishCommand.Create(context),
        };
}
