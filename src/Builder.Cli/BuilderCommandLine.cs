using System.CommandLine;
using Builder.Cli.Commands;
using Builder.Cli.Commands.Templates;

namespace Builder.Cli;

/// <summary>The `builder` command tree. Usage errors exit 2; each command returns its own code.</summary>
public static class BuilderCommandLine
{
    /// <param name="services">Makes the services for a store folder (null: the default store).</param>
    public static async Task<int> RunAsync(string[] args, Func<string?, IServiceProvider> services, TextWriter output, TextWriter error)
    {
        var context = new CliContext(services, output, error);
        var root = new RootCommand("builder: declarative virtual-machine image builds from YAML recipes")
        {
            context.Store,
            BuildCommand.Create(context),
            ValidateCommand.Create(context),
            PlanCommand.Create(context),
            TemplatesCommand.Create(context),
            Commands.Cache.CacheCommand.Create(context),
            DiffCommand.Create(context),
            Commands.Verify.VerifyCommand.Create(context),
            DoctorCommand.Create(context),
            StepsCommand.Create(context),
            SchemaCommand.Create(context),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors) await error.WriteLineAsync($"error: {parseError.Message}");
            await error.WriteLineAsync("Run 'builder --help' for usage.");
            return ExitCodes.InvalidInput;
        }

        // Builds handle Ctrl-C and SIGTERM themselves, to tear down before exiting.
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return await parsed.InvokeAsync(configuration);
        }
        catch (Exception e)
        {
            // Expected failures are values with their own messages; reaching here is a bug.
            await error.WriteLineAsync($"error: internal error: {e.GetType().Name}: {e.Message}");
            await error.WriteLineAsync(args.Contains("-v") || args.Contains("--verbose")
                ? e.ToString()
                : "  this is a bug in builder; run again with -v for details, and please report it");
            return ExitCodes.BuildFailed;
        }
    }
}
