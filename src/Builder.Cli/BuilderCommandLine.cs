using System.CommandLine;
using Builder.Cli.Commands;

namespace Builder.Cli;

/// <summary>The `builder` command tree. Usage errors exit 2; each command returns its own code.</summary>
public static class BuilderCommandLine
{
    public static async Task<int> RunAsync(string[] args, IServiceProvider services, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("builder: declarative virtual-machine image builds from YAML recipes")
        {
            BuildCommand.Create(services, output, error),
            ValidateCommand.Create(services, output, error),
            PlanCommand.Create(services, output, error),
            StepsCommand.Create(services, output),
            SchemaCommand.Create(services, output),
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
