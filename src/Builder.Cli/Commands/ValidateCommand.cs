using System.CommandLine;

namespace Builder.Cli.Commands;

/// <summary>`builder validate RECIPE...`: check recipes without building; exit 0 when all are valid, 2 otherwise.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        var recipes = new Argument<string[]>("recipe") { Description = "Recipe files, or folders of them", Arity = ArgumentArity.OneOrMore };
        var command = new Command("validate", "Check recipes without building: keys, types, values, local files, conflicts") { recipes };
        var inputs = new InputFlags();
        inputs.AddTo(command);
        command.SetAction(parse =>
        {
            var (services, output, error) = (context.Services(parse), context.Output, context.Error);
            var files = RecipeInput.Expand(parse.GetValue(recipes)!);
            if (files.Count == 0)
            {
                error.WriteLine("error: no recipes found (*.yaml, *.yml)");
                return ExitCodes.InvalidInput;
            }
            var invalid = 0;
            foreach (var file in files)
            {
                if (RecipeInput.Load(services, file, error, inputs.Read(parse)) is null) invalid++;
                else output.WriteLine($"{file}: valid");
            }
            return invalid == 0 ? ExitCodes.Ok : ExitCodes.InvalidInput;
        });
        return command;
    }
}
