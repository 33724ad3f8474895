using System.CommandLine;
using Builder.Schema;
using Builder.Steps;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Builder.Cli.Commands;

/// <summary>`builder steps [--markdown]`: every step kind, from the registry.</summary>
internal static class StepsCommand
{
    public static Command Create(CliContext context)
    {
        var markdown = new Option<bool>("--markdown") { Description = "Print the README's step reference" };
        var command = new Command("steps", "List the step kinds a recipe can use, with their options") { markdown };
        command.SetAction(parse =>
        {
            var (services, output, error) = (context.Services(parse), context.Output, context.Error);
            var registry = services.GetRequiredService<StepRegistry>();
            if (parse.GetValue(markdown))
            {
                output.Write(StepReference.Markdown(registry));
                return ExitCodes.Ok;
            }
            var table = new Table().Border(TableBorder.Simple).AddColumn("step").AddColumn("what it does").AddColumn("options");
            foreach (var kind in registry.Kinds)
            {
                var options = string.Join(", ", kind.Options.Fields.Select(f => f.Required ? f.Name : f.Name + "?"));
                table.AddRow(kind.Name, Markup.Escape(kind.Summary), Markup.Escape(options));
            }
            Consoles.For(output).Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
