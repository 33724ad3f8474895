using System.CommandLine;
using Builder.Execution;
using Builder.Cli.Commands.Templates;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.Cli.Commands;

/// <summary>`builder build RECIPE`: build the image. Exit 0 built, 1 build failed, 2 invalid input, 130 interrupted.</summary>
internal static class BuildCommand
{
    public static Command Create(CliContext context)
    {
        var recipe = new Argument<string>("recipe") { Description = "The recipe file" };
        var outputPath = new Option<string?>("--output", "-o") { Description = "Write the image here instead of the recipe's output path" };
        var command = new Command("build", "Build an image from a recipe") { recipe, outputPath };
        var session = new SessionFlags();
        session.AddTo(command);
        var repositories = new RepositoryFlags();
        repositories.AddTo(command);
        command.SetAction(async parse =>
        {
            var (services, output, error) = (context.Services(parse), context.Output, context.Error);
            var loaded = RecipeInput.Load(services, parse.GetValue(recipe)!, error);
            if (loaded is null) return ExitCodes.InvalidInput;
            if (session.Read(parse, error) is not { } sessionOptions) return ExitCodes.InvalidInput;
            var options = sessionOptions with { OutputPath = parse.GetValue(outputPath), Repositories = repositories.Read(parse) };
            var time = services.GetRequiredService<TimeProvider>();
            var builder = services.GetRequiredService<IImageBuilder>();

            using var interrupt = new InterruptSignals(error);
            var result = await ProgressOutput.RunAsync(context, parse.GetValue(session.Json), options.Trace, time,
                progress => builder.BuildAsync(loaded, options, progress, interrupt.Token));

            Report(result, options.Trace, error);
            return ExitCodes.For(result.Outcome);
        });
        return command;
    }

    private static void Report(BuildResult result, bool verbose, TextWriter error)
    {
        switch (result.Outcome)
        {
            case BuildOutcome.Invalid:
                RecipeInput.Print(result.Diagnostics, null, error);
                break;
            case BuildOutcome.Cancelled:
                error.WriteLine("Interrupted: the build was stopped; nothing was written to the output path.");
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
