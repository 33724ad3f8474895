using System.CommandLine;
using Builder.Diagnostics;
using Builder.Execution;
using Builder.Templates.Building;
using Builder.Templates.Definitions;
using Builder.Templates.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.Cli.Commands.Templates;

/// <summary>`builder templates build NAME`: build a template from its definition into the store.</summary>
internal static class TemplatesBuildCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The template: templates/NAME.yaml here or above, or a built-in definition" };
        var force = new Option<bool>("--force") { Description = "Build again even when the store has this definition's template" };
        var command = new Command("build", "Build a template from its definition into the store (mmdebstrap; needs root)") { name, force };
        var session = new SessionFlags();
        session.AddTo(command);
        var repositories = new RepositoryFlags();
        repositories.AddTo(command);
        command.SetAction(async parse =>
        {
            var (services, output, error) = (context.Services(parse), context.Output, context.Error);
            if (session.Read(parse, error) is not { } options) return ExitCodes.InvalidInput;
            var templateName = parse.GetValue(name)!;
            var (definition, problems) = services.GetRequiredService<TemplateDefinitions>().Find(templateName, Environment.CurrentDirectory);
            if (problems.Count > 0) RecipeInput.Print(problems, null, error);
            if (definition is null)
            {
                if (problems.Count == 0)
                    await error.WriteLineAsync($"error: there is no definition for the template '{templateName}' (templates/{templateName}.yaml)\n  hint: "
                        + Suggestions.Hint(templateName, services.GetRequiredService<TemplateDefinitions>().Names(Environment.CurrentDirectory), "definitions"));
                return ExitCodes.InvalidInput;
            }

            var builder = services.GetRequiredService<TemplateBuilder>();
            var time = services.GetRequiredService<TimeProvider>();
            using var interrupt = new InterruptSignals(error);
            try
            {
                var started = time.GetTimestamp();
                var stored = await ProgressOutput.RunAsync(context, parse.GetValue(session.Json), options.Trace, time,
                    progress => builder.BuildAsync(definition, options.Session, IBuildEvents.From(progress), interrupt.Token, parse.GetValue(force)));
                await output.WriteLineAsync(TemplateText.Summary(stored, time.GetElapsedTime(started)));
                return ExitCodes.Ok;
            }
            catch (OperationCanceledException) when (interrupt.Token.IsCancellationRequested)
            {
                await error.WriteLineAsync("Interrupted: nothing was added to the store.");
                return ExitCodes.Interrupted;
            }
            catch (Exception e) when (e is TemplateBuildException or Guests.GuestOperationException or Images.DiskImageException or IOException or TimeoutException)
            {
                await error.WriteLineAsync($"error: building the template {templateName} failed: {e.Message}");
                if (e is TemplateBuildException { Hint: { } hint }) await error.WriteLineAsync($"  hint: {hint}");
                await error.WriteLineAsync("  nothing was added to the store.");
                if (options.Trace) await error.WriteLineAsync(e.ToString());
                return ExitCodes.BuildFailed;
            }
        });
        return command;
    }
}
