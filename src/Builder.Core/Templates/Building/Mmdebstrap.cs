using Builder.Execution;
using Builder.Processes;
using Builder.Templates.Definitions;

namespace Builder.Templates.Building;

/// <summary>Bootstraps a Debian-family root tree into a folder with mmdebstrap (as root).</summary>
internal static class Mmdebstrap
{
    public static async Task RunAsync(BootstrapSpec spec, string tree, IBuildEvents events, CancellationToken cancellationToken)
    {
        List<string> arguments = ["--mode=root", $"--variant={spec.Variant}", "--format=directory"];
        if (spec.Packages is { Count: > 0 } packages) arguments.Add("--include=" + string.Join(',', packages));
        arguments.Add(spec.Suite);
        arguments.Add(tree);
        arguments.AddRange(spec.Mirrors);

        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync("mmdebstrap", arguments, cancellationToken,
                line => events.Emit(new TraceLine("mmdebstrap", line)));
        }
        catch (ProgramNotFoundException e)
        {
            throw new TemplateBuildException("mmdebstrap is not installed", "apt-get install mmdebstrap", e);
        }
        if (result.ExitCode != 0)
        {
            var tail = string.Join('\n', (result.StandardError + result.StandardOutput).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(20));
            throw new TemplateBuildException($"mmdebstrap failed (exit {result.ExitCode}):\n{tail}",
                "check that the mirrors are reachable and the package names exist in the suite");
        }
    }
}
