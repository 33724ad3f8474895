using System.CommandLine;
using Builder.Execution;
using Builder.Guests;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.Cli.Commands;

/// <summary>`builder build RECIPE`: build the image. Exit 0 built, 1 build failed, 2 invalid input, 130 interrupted.</summary>
internal static class BuildCommand
{
    public static Command Create(CliContext context)
    {
        var recipe = new Argument<string>("recipe") { Description = "The recipe file" };
        var outputPath = new Option<string?>("--output", "-o") { Description = "Write the image here instead of the recipe's output path" };
        var json = new Option<bool>("--json") { Description = "Report progress as JSON lines on stdout" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show the libguestfs trace and full error details" };
        var accel = new Option<string>("--accel")
        {
            Description = "Accelerator for the appliance: auto probes KVM once and falls back to TCG (env BUILDER_ACCEL)",
            DefaultValueFactory = _ => "auto",
        };
        accel.AcceptOnlyFromAmong("auto", "kvm", "tcg");
        var launchTimeout = new Option<int?>("--launch-timeout")
        {
            Description = $"Seconds an appliance launch may take before it is killed (default {BuildOptions.DefaultLaunchTimeout.TotalSeconds:0})",
        };

        var command = new Command("build", "Build an image from a recipe") { recipe, outputPath, json, verbose, accel, launchTimeout };
        command.SetAction(async parse =>
        {
            var (services, output, error) = (context.Services(parse), context.Output, context.Error);
            var loaded = RecipeInput.Load(services, parse.GetValue(recipe)!, error);
            if (loaded is null) return ExitCodes.InvalidInput;
            if (parse.GetValue(launchTimeout) is <= 0)
            {
                await error.WriteLineAsync("error: --launch-timeout must be a positive number of seconds");
                return ExitCodes.InvalidInput;
            }

            var options = new BuildOptions(
                OutputPath: parse.GetValue(outputPath),
                Accelerator: Enum.Parse<Accelerator>(parse.GetValue(accel)!, ignoreCase: true),
                LaunchTimeout: parse.GetValue(launchTimeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                Trace: parse.GetValue(verbose));
            var time = services.GetRequiredService<TimeProvider>();
            var builder = services.GetRequiredService<IImageBuilder>();

            using var interrupt = new InterruptSignals(error);
            BuildResult result;
            if (parse.GetValue(json))
            {
                result = await builder.BuildAsync(loaded, options, new JsonRenderer(output, error, time), interrupt.Token);
            }
            else if (Consoles.IsTerminal(output))
            {
                var live = new LiveRenderer(Consoles.For(output), error, options.Trace);
                result = await live.RunAsync(() => builder.BuildAsync(loaded, options, live, interrupt.Token));
            }
            else
            {
                result = await builder.BuildAsync(loaded, options, new LineRenderer(output, error, options.Trace, time), interrupt.Token);
            }

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
