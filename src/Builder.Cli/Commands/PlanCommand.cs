using System.CommandLine;
using Builder.Cli.Commands.Templates;
using Builder.Diagnostics;
using Builder.Execution;
using Builder.Planning;
using Builder.Templates;
using Builder.Templates.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Builder.Cli.Commands;

/// <summary>`builder plan RECIPE [--json]`: the steps in execution order with their ids, touching no image.</summary>
internal static class PlanCommand
{
    public static Command Create(CliContext context)
    {
        var recipe = new Argument<string>("recipe") { Description = "The recipe file" };
        var json = new Option<bool>("--json") { Description = "Print the plan as JSON" };
        var command = new Command("plan", "Show what a build would do, in order, with content-addressed step ids") { recipe, json };
        command.SetAction(async parse =>
        {
            var (services, output, error) = (context.Services(parse), context.Output, context.Error);
            var loaded = RecipeInput.Load(services, parse.GetValue(recipe)!, error);
            if (loaded is null) return ExitCodes.InvalidInput;
            ResolvedTemplate template;
            try
            {
                // A plan touches no image: the template must already be in the store, nothing is built or pulled.
                template = await services.GetRequiredService<TemplateResolver>().ResolveAsync(loaded.Template, loaded.Directory,
                    allowBuild: false, RepositoryOptions.Default, new BuildOptions().Session, new NoticesTo(error), CancellationToken.None);
            }
            catch (TemplateResolutionException e)
            {
                RecipeInput.Print([new Diagnostic(DiagnosticCodes.MissingTemplate, Severity.Error, e.Message, loaded.Template.Span, ".template", e.Hint)], null, error);
                return ExitCodes.InvalidInput;
            }
            catch (TemplateDefinitionException e)
            {
                RecipeInput.Print(e.Diagnostics, null, error);
                return ExitCodes.InvalidInput;
            }
            var plan = services.GetRequiredService<Planner>().Plan(loaded, template);
            if (parse.GetValue(json)) output.Write(PlanJson.ToText(plan));
            else Render(plan, output);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Render(BuildPlan plan, TextWriter output)
    {
        var console = Consoles.For(output);
        var recipe = plan.Recipe;
        console.MarkupLineInterpolated($"[bold]{recipe.Name}[/] ({recipe.File})");
        console.MarkupLineInterpolated($"  template  {plan.Template.Path}  [dim]{plan.Template.Digest}[/]");
        if (recipe.Size is { } size) console.MarkupLineInterpolated($"  size      {Recipes.ByteSize.Format(size.Bytes)}");
        console.MarkupLineInterpolated($"  output    {Path.GetRelativePath(Environment.CurrentDirectory, recipe.Output.Path)} ({recipe.Output.Format.ToString().ToLowerInvariant()})");
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("#").AddColumn("id").AddColumn("step").AddColumn("what").AddColumn("where");
        foreach (var step in plan.Steps)
            table.AddRow(step.Number.ToString(), step.Id.Short, step.Kind, Markup.Escape(step.Description), Markup.Escape(step.Source));
        console.Write(table);
    }
}
