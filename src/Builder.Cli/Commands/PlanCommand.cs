using System.CommandLine;
using Builder.Cli.Commands.Templates;
using System.Text.Json.Nodes;
using Builder.Caching;
using Builder.Diagnostics;
using Builder.Execution;
using Builder.Planning;
using Builder.Recipes;
using Builder.Templates;
using Builder.Templates.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Builder.Cli.Commands;

/// <summary>`builder plan RECIPE... [--json]`: the steps in execution order with their ids and layers, and whether each layer is cached; touches no image.</summary>
internal static class PlanCommand
{
    public static Command Create(CliContext context)
    {
        var recipes = new Argument<string[]>("recipes") { Description = "Recipe files, or folders of them", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print the plan as JSON" };
        var backendOption = new SessionFlags().Backend;
        var command = new Command("plan", "Show what a build would do, in order, with content-addressed step ids, layers and what the cache holds")
            { recipes, json, backendOption };
        var inputs = new InputFlags();
        inputs.AddTo(command);
        command.SetAction(async parse =>
        {
            var (services, output, error) = (context.Services(parse), context.Output, context.Error);
            var files = RecipeInput.Expand(parse.GetValue(recipes)!);
            var loaded = files.Select(f => RecipeInput.Load(services, f, error, inputs.Read(parse))).ToList();
            if (files.Count == 0)
            {
                await error.WriteLineAsync("error: no recipe files (*.yaml, *.yml) found there");
                return ExitCodes.InvalidInput;
            }
            if (loaded.Any(r => r is null)) return ExitCodes.InvalidInput;
            var plans = new List<(BuildPlan Plan, BackendDecision Backend, IReadOnlyList<LayerState> Layers)>();
            var failed = false;
            foreach (var recipe in loaded.OfType<Recipe>())
            {
                if (await PlanOneAsync(services, recipe, BackendSelector.Parse(parse.GetValue(backendOption)), error) is { } planned) plans.Add(planned);
                else failed = true;
            }
            if (failed) return ExitCodes.InvalidInput;

            var single = files.Count == 1 && !Directory.Exists(parse.GetValue(recipes)![0]);
            if (parse.GetValue(json))
            {
                output.Write(single
                    ? PlanJson.ToText(plans[0].Plan, plans[0].Backend, plans[0].Layers)
                    : PlanJson.Text(new JsonObject
                    {
                        ["recipes"] = new JsonArray(plans.Select(p => (JsonNode)PlanJson.ToJson(p.Plan, p.Backend, p.Layers)).ToArray()),
                        ["shared"] = new JsonArray(Shared(plans).Select(s => (JsonNode)new JsonObject
                        {
                            ["layer"] = s.Id, ["backend"] = s.Backend, ["recipes"] = new JsonArray(s.Recipes.Select(r => (JsonNode?)r).ToArray()),
                        }).ToArray()),
                    }));
                return ExitCodes.Ok;
            }
            foreach (var (plan, backend, layers) in plans) Render(plan, backend, layers, output);
            if (!single) RenderShared(plans, output);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<(BuildPlan, BackendDecision, IReadOnlyList<LayerState>)?> PlanOneAsync(
        IServiceProvider services, Recipe recipe, BackendChoice? asked, TextWriter error)
    {
        ResolvedTemplate template;
        try
        {
            // A plan touches no image: the template must already be in the store, nothing is built or pulled.
            template = await services.GetRequiredService<TemplateResolver>().ResolveAsync(recipe.Template, recipe.Directory,
                allowBuild: false, RepositoryOptions.Default, new BuildOptions().Session, new NoticesTo(error), CancellationToken.None);
        }
        catch (TemplateResolutionException e)
        {
            RecipeInput.Print([new Diagnostic(DiagnosticCodes.MissingTemplate, Severity.Error, e.Message, recipe.Template.Span, ".template", e.Hint)], null, error);
            return null;
        }
        catch (TemplateDefinitionException e)
        {
            RecipeInput.Print(e.Diagnostics, null, error);
            return null;
        }
        Reproducibility.SourceDate? sourceDate;
        try
        {
            sourceDate = await services.GetRequiredService<Reproducibility.SourceDateResolver>().ResolveAsync(recipe, CancellationToken.None);
        }
        catch (Reproducibility.InvalidSourceDateException e)
        {
            await error.WriteLineAsync($"error: {recipe.File}: {e.Message}\n  hint: {Reproducibility.InvalidSourceDateException.Hint}");
            return null;
        }
        var plan = services.GetRequiredService<Planner>().Plan(recipe, template, sourceDate);
        try
        {
            var backend = services.GetRequiredService<BackendSelector>().Choose(asked, recipe.Backend, template.Layout());
            var layers = services.GetRequiredService<LayerStore>().Preview(plan, backend.Name, services.GetRequiredService<BuildHistory>());
            return (plan, backend, layers);
        }
        catch (BackendUnavailableException e)
        {
            await error.WriteLineAsync($"error: {recipe.File}: {e.Message}");
            return null;
        }
    }

    /// <summary>Layers that more than one recipe starts with: built once in a run of all of them.</summary>
    private static IEnumerable<(string Id, string Backend, IReadOnlyList<string> Recipes)> Shared(
        IEnumerable<(BuildPlan Plan, BackendDecision Backend, IReadOnlyList<LayerState> Layers)> plans) =>
        plans.SelectMany(p => p.Plan.Layers.Where(l => l.Cacheable).Select(l => (l.Id, Backend: p.Backend.Name, p.Plan.Recipe.Name)))
            .GroupBy(x => (x.Id, x.Backend))
            .Where(g => g.Count() > 1)
            .Select(g => (g.Key.Id, g.Key.Backend, (IReadOnlyList<string>)g.Select(x => x.Name).ToList()));

    private static void RenderShared(IReadOnlyList<(BuildPlan Plan, BackendDecision Backend, IReadOnlyList<LayerState> Layers)> plans, TextWriter output)
    {
        var console = Consoles.For(output);
        var shared = Shared(plans).ToList();
        console.MarkupLineInterpolated($"[bold]{plans.Count} recipes[/], {plans.Sum(p => p.Plan.Layers.Count)} layers, {shared.Count} shared (each built once):");
        foreach (var (id, backend, names) in shared)
            console.MarkupLineInterpolated($"  {id[..12]} ({backend})  {string.Join(", ", names)}");
    }

    private static void Render(BuildPlan plan, BackendDecision backend, IReadOnlyList<LayerState> layers, TextWriter output)
    {
        var console = Consoles.For(output);
        var recipe = plan.Recipe;
        console.MarkupLineInterpolated($"[bold]{recipe.Name}[/] ({recipe.File})");
        console.MarkupLineInterpolated($"  template  {plan.Template.Path}  [dim]{plan.Template.Digest}[/]");
        if (recipe.Size is { } size) console.MarkupLineInterpolated($"  size      {Recipes.ByteSize.Format(size.Bytes)}");
        console.MarkupLineInterpolated($"  output    {Path.GetRelativePath(Environment.CurrentDirectory, recipe.Output.Path)} ({recipe.Output.Format.ToString().ToLowerInvariant()})");
        console.MarkupLineInterpolated($"  backend   {backend.Name}  [dim]{backend.Reason}[/]");
        if (plan.SourceDate is { } sourceDate) console.MarkupLineInterpolated($"  source date {sourceDate}");
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("#").AddColumn("id").AddColumn("step").AddColumn("what").AddColumn("net").AddColumn("layer").AddColumn("cache").AddColumn("where");
        var stateOf = layers.SelectMany(l => l.Layer.Steps.Select(s => (s.Number, State: l))).ToDictionary(x => x.Number, x => x.State);
        foreach (var step in plan.Steps)
        {
            var state = stateOf[step.Number];
            table.AddRow(step.Number.ToString(), step.Id.Short, step.Kind, Markup.Escape(step.Description), step.Network ? "yes" : "",
                state.Layer.Number.ToString(), state.Hit ? "[green]hit[/]" : "[yellow]miss[/]", Markup.Escape(step.Source));
        }
        console.Write(table);
        foreach (var miss in layers.Where(l => !l.Hit))
            console.MarkupLineInterpolated($"  layer {miss.Layer.Number} ({miss.Layer.Id[..12]}) miss: {miss.Reason}");
    }
}
