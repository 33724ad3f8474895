using System.CommandLine;
using System.Text.Json.Nodes;
using Builder.Execution;
using Builder.Cli.Commands.Templates;
using Builder.Recipes;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Builder.Cli.Commands;

/// <summary>
/// `builder build RECIPE...`: build the images. One recipe file shows live progress; several (or a
/// folder) build as one graph, with a summary table. Exit 0 all built, 1 a build failed, 2 invalid
/// input, 130 interrupted.
/// </summary>
internal static class BuildCommand
{
    public static Command Create(CliContext context)
    {
        var recipes = new Argument<string[]>("recipes") { Description = "Recipe files, or folders of them (built as one graph)", Arity = ArgumentArity.OneOrMore };
        var outputPath = new Option<string?>("--output", "-o")
        {
            Description = "Write the image here instead of the recipe's output path (one recipe only); '-' streams a raw or qcow2 image to stdout",
        };
        var jobs = new Option<int>("--jobs", "-j") { Description = "Guest sessions and image writes at once, over many recipes (default: the number of cores)" };
        var failFast = new Option<bool>("--fail-fast") { Description = "Stop every recipe when one fails, instead of building the others" };
        var command = new Command("build", "Build images from recipes") { recipes, outputPath, jobs, failFast };
        var session = new SessionFlags();
        session.AddTo(command);
        var repositories = new RepositoryFlags();
        repositories.AddTo(command);
        var inputs = new InputFlags();
        inputs.AddTo(command);
        command.SetAction(async parse =>
        {
            var (services, output, error) = (context.Services(parse), context.Output, context.Error);
            var arguments = parse.GetValue(recipes)!;
            var files = RecipeInput.Expand(arguments);
            if (files.Count == 0)
            {
                await error.WriteLineAsync($"error: no recipe files (*.yaml, *.yml) in {string.Join(", ", arguments)}");
                return ExitCodes.InvalidInput;
            }
            // The builder and all it uses are made on another core while the recipes load.
            var making = Task.Run(services.GetRequiredService<IImageBuilder>);
            var loaded = files.Select(f => RecipeInput.Load(services, f, error, inputs.Read(parse))).ToList();
            if (loaded.Any(r => r is null)) return ExitCodes.InvalidInput;
            if (session.Read(parse, error) is not { } sessionOptions) return ExitCodes.InvalidInput;
            var single = files.Count == 1 && !Directory.Exists(arguments[0]);
            if (!single && parse.GetValue(outputPath) is not null)
            {
                await error.WriteLineAsync("error: --output names one image; give one recipe file, or leave each recipe its output path");
                return ExitCodes.InvalidInput;
            }
            var toStdout = parse.GetValue(outputPath) == StandardOutputImage.Argument;
            if (toStdout && StandardOutputImage.Refusal(context) is { } refusal)
            {
                await error.WriteLineAsync($"error: {refusal}");
                return ExitCodes.InvalidInput;
            }
            if (parse.GetValue(jobs) < 0)
            {
                await error.WriteLineAsync("error: --jobs must be 1 or more");
                return ExitCodes.InvalidInput;
            }
            var options = sessionOptions with
            {
                OutputPath = toStdout ? null : parse.GetValue(outputPath), Repositories = repositories.Read(parse), Jobs = parse.GetValue(jobs),
                FailFast = parse.GetValue(failFast), OutputStream = toStdout ? StandardOutputImage.Open() : null,
            };
            var time = services.GetRequiredService<TimeProvider>();
            var builder = await making;
            var json = parse.GetValue(session.Json);

            using var interrupt = new InterruptSignals(error);
            if (single)
            {
                // With the image on stdout, progress (lines, live display or JSON) goes to stderr.
                var result = await ProgressOutput.RunAsync(toStdout ? error : output, error, json, options.Trace, time,
                    progress => builder.BuildAsync(loaded[0]!, options, progress, interrupt.Token));
                Report(result, options.Trace, error);
                return ExitCodes.For(result.Outcome);
            }

            var all = loaded.OfType<Recipe>().ToList();
            var jsonOutput = json ? new JsonRenderer(output, error, time) : null;
            var results = await builder.BuildAllAsync(all, options,
                recipe => json ? new JsonRenderer(output, error, time, recipe.Name) : new LineRenderer(output, error, options.Trace, time, recipe.Name),
                interrupt.Token);
            for (var i = 0; i < all.Count; i++)
            {
                if (results[i].Outcome == BuildOutcome.Succeeded) continue;
                error.WriteLine($"{all[i].Name} ({all[i].File}):");
                Report(results[i], options.Trace, error);
            }
            if (jsonOutput is not null)
                for (var i = 0; i < all.Count; i++) jsonOutput.WriteObject(ResultJson(all[i], results[i]));
            else Summary(all, results, output);
            return ExitCodeFor(results, interrupt.Token.IsCancellationRequested);
        });
        return command;
    }

    /// <summary>130 when interrupted; else 2 when a recipe was invalid, 1 when one failed, 0 when all were built.</summary>
    private static int ExitCodeFor(IReadOnlyList<BuildResult> results, bool interrupted) =>
        interrupted ? ExitCodes.Interrupted
        : results.Any(r => r.Outcome == BuildOutcome.Invalid) ? ExitCodes.InvalidInput
        : results.Any(r => r.Outcome != BuildOutcome.Succeeded) ? ExitCodes.BuildFailed
        : ExitCodes.Ok;

    private static JsonObject ResultJson(Recipe recipe, BuildResult result) => new()
    {
        ["event"] = "result",
        ["recipe"] = recipe.Name,
        ["file"] = recipe.File,
        ["outcome"] = result.Outcome.ToString().ToLowerInvariant(),
        ["output"] = result.OutputPath,
        ["id"] = result.Plan?.FinalId,
        ["elapsed"] = Math.Round(result.Elapsed.TotalSeconds, 3),
        ["error"] = result.Error?.Message ?? (result.Diagnostics.FirstOrDefault(d => d.IsError) is { } d ? $"{d.Span}: {d.Message}" : null),
    };

    private static void Summary(IReadOnlyList<Recipe> recipes, IReadOnlyList<BuildResult> results, TextWriter output)
    {
        var console = Consoles.For(output);
        var table = new Table().Border(TableBorder.Simple).AddColumn("recipe").AddColumn("result").AddColumn("output").AddColumn("time");
        for (var i = 0; i < recipes.Count; i++)
        {
            var result = results[i];
            var outcome = result.Outcome switch
            {
                BuildOutcome.Succeeded => "[green]built[/]",
                BuildOutcome.Invalid => "[red]invalid[/]",
                BuildOutcome.Cancelled => "[yellow]stopped[/]",
                _ => "[red]failed[/]",
            };
            table.AddRow(Markup.Escape(recipes[i].Name), outcome,
                Markup.Escape(result.OutputPath is { } path ? EventText.Relative(path) : "-"), EventText.Seconds(result.Elapsed));
        }
        console.Write(table);
        var built = results.Count(r => r.Succeeded);
        console.MarkupLineInterpolated($"{built} of {results.Count} recipes built");
    }

    /// <summary>Why a build did not succeed, on standard error: its diagnostics, the interruption, or the error with its hint.</summary>
    internal static void Report(BuildResult result, bool verbose, TextWriter error)
    {
        switch (result.Outcome)
        {
            case BuildOutcome.Invalid:
                RecipeInput.Print(result.Diagnostics, null, error);
                break;
            case BuildOutcome.Cancelled:
                error.WriteLine($"Interrupted: {result.Error?.Message ?? "the build was stopped"}; nothing was written to the output path.");
                break;
            case BuildOutcome.Failed when result.Error is { } failure:
                error.WriteLine($"error: {failure.Message}");
                if (failure.Hint is not null) error.WriteLine($"  hint: {failure.Hint}");
                error.WriteLine("  nothing was written to the output path; the template is unchanged.");
                if (verbose && failure.Detail is not null) error.WriteLine(failure.Detail);
                else error.WriteLine("  (run with -v for the libguestfs trace and details)");
                break;
        }
        error.Flush();
    }
}
