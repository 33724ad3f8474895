using System.CommandLine;
using Builder.Recipes;

namespace Builder.Cli.Commands;

/// <summary>--allow-outside-inputs: how the commands that load recipes load them.</summary>
internal sealed class InputFlags
{
    public Option<bool> AllowOutsideInputs { get; } = new("--allow-outside-inputs")
    {
        Description = "Let recipes read host files outside their own folder (uploads, scripts, key and secret files, folders), symlinks followed",
    };

    public void AddTo(Command command) => command.Options.Add(AllowOutsideInputs);

    public RecipeLoadOptions Read(ParseResult parse) => new(AllowOutsideInputs: parse.GetValue(AllowOutsideInputs));
}
