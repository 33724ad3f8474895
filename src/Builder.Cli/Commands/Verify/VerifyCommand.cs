using System.CommandLine;
using Builder.Cli.Commands.Templates;
using Builder.Execution;
using Builder.Recipes;
using Builder.Reproducibility;

namespace Builder.Cli.Commands.Verify;

/// <summary>
/// `builder verify RECIPE [--against MANIFEST]`: builds the recipe twice, each with an empty layer
/// cache, and compares the two images' sha256, and when they differ their file trees; or builds it
/// once and compares its manifest with an earlier build's. Progress goes to stderr, the verdict to
/// stdout. Exit 0 reproducible, 1 not, 2 bad input or a build that failed, 130 interrupted.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(CliContext context)
    {
        var recipe = new Argument<string>("recipe") { Description = "The recipe file to build and check" };
        var against = new Option<string?>("--against")
        {
            Description = "Build once and compare with an earlier build's NAME.manifest.json, instead of building twice",
            HelpName = "MANIFEST",
        };
        var json = new Option<bool>("--json") { Description = "Print the verdict and every difference as one JSON object" };
        var session = new SessionFlags();
        var command = new Command("verify", "Check that a recipe builds the same image again: build it twice from empty layer caches, "
            + "or once against an earlier manifest") { recipe, against, json, session.Verbose, session.Accel, session.LaunchTimeout, session.Backend };
        var repositories = new RepositoryFlags();
        repositories.AddTo(command);
        var inputs = new InputFlags();
        inputs.AddTo(command);
        command.SetAction(async parse =>
        {
            var (services, output, error) = (context.Services(parse), context.Output, context.Error);
            var file = parse.GetValue(recipe)!;
            if (Directory.Exists(file))
            {
                await error.WriteLineAsync($"error: {file} is a folder: verify takes one recipe file");
                return ExitCodes.InvalidInput;
            }
            if (RecipeInput.Load(services, file, error, inputs.Read(parse)) is not { } loaded) return ExitCodes.InvalidInput;
            OutputManifest? earlier = null;
            if (parse.GetValue(against) is { } manifestPath)
            {
                (earlier, var problem) = OutputManifest.Read(manifestPath);
                if (problem is not null)
                {
                    await error.WriteLineAsync($"error: --against {problem}");
                    return ExitCodes.InvalidInput;
                }
            }
            if (session.Read(parse, error) is not { } sessionOptions) return ExitCodes.InvalidInput;
            var options = sessionOptions with { Repositories = repositories.Read(parse) };

            using var interrupt = new InterruptSignals(error);
            using var builds = new VerifyBuilds(services, loaded, options, error);
            var (verdict, code) = earlier is null
                ? await TwiceAsync(services, loaded, options, builds, error, interrupt.Token)
                : await AgainstAsync(loaded, earlier, builds, interrupt.Token);
            if (verdict is null) return code;
            await output.WriteAsync(parse.GetValue(json) ? VerifyOutput.Json(verdict) : VerifyOutput.Text(verdict));
            return verdict.Reproducible ? ExitCodes.Ok : ExitCodes.NotReproducible;
        });
        return command;
    }

    /// <summary>Two builds; when their bytes differ, their file trees compared (modification times included).</summary>
    private static async Task<(VerifyVerdict? Verdict, int ExitCode)> TwiceAsync(IServiceProvider services, Recipe recipe, BuildOptions options,
        VerifyBuilds builds, TextWriter error, CancellationToken cancellationToken)
    {
        var (first, firstCode) = await builds.RunAsync(1, 2, cancellationToken);
        if (first is null) return (null, firstCode);
        var (second, secondCode) = await builds.RunAsync(2, 2, cancellationToken);
        if (second is null) return (null, secondCode);
        DiffResult? differences = null;
        if (first.Manifest.OutputSha256 != second.Manifest.OutputSha256)
        {
            await error.WriteLineAsync("verify: the images differ; reading both file trees");
            var trees = await ImageTrees.ReadBothAsync(services, first.Image, second.Image, options.Backend ?? recipe.Backend, options.Session, error,
                cancellationToken);
            if (cancellationToken.IsCancellationRequested) return (null, ExitCodes.Interrupted);
            if (trees is { } read) differences = TreeDiff.Compare(read.A, read.B, mtimes: true);
        }
        return (Verdict(recipe, first.Manifest.OutputSha256, second.Manifest.OutputSha256, null, differences), ExitCodes.Ok);
    }

    /// <summary>One build; when its bytes differ from the earlier build's, the two manifests compared.</summary>
    private static async Task<(VerifyVerdict? Verdict, int ExitCode)> AgainstAsync(Recipe recipe, OutputManifest earlier, VerifyBuilds builds,
        CancellationToken cancellationToken)
    {
        var (build, code) = await builds.RunAsync(1, 1, cancellationToken);
        if (build is null) return (null, code);
        var now = build.Manifest;
        var differences = earlier.OutputSha256 == now.OutputSha256 ? null : ManifestDiff.Compare(earlier.Json, now.Json);
        return (Verdict(recipe, earlier.OutputSha256, now.OutputSha256, earlier.Path, differences), ExitCodes.Ok);
    }

    private static VerifyVerdict Verdict(Recipe recipe, string a, string b, string? against, DiffResult? differences) =>
        new(recipe.Name, a, b, against, differences, SuggestSeal: !recipe.Output.Reproducible);
}
