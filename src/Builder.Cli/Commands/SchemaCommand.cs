using System.CommandLine;
using Builder.Schema;
using Builder.Steps;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.Cli.Commands;

/// <summary>`builder schema`: the recipe JSON Schema, generated from the step registry.</summary>
internal static class SchemaCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("schema", "Print the recipe JSON Schema (schemas/recipe.schema.json is this output)");
        command.SetAction(parse =>
        {
            var (services, output) = (context.Services(parse), context.Output);
            output.Write(RecipeSchema.Generate(services.GetRequiredService<StepRegistry>()));
            return ExitCodes.Ok;
        });
        return command;
    }
}
