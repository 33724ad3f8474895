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
        var configuration = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null };
        return await parsed.InvokeAsync(configuration);
    }
}
