using System.Globalization;
using Builder.Execution;
using Builder.Recipes;
using Builder.Templates.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.Cli.Commands.Verify;

/// <summary>An image `builder verify` built, and its manifest.</summary>
internal sealed record VerifiedBuild(string Image, OutputManifest Manifest);

/// <summary>
/// The builds of `builder verify`, in a scratch folder of the store (<c>tmp/</c>, beside the
/// templates, which all builds share): each in a folder of its own with an empty layer cache (so no
/// layer is reused, from the store or from the other build) and its output, manifest and build log.
/// Progress goes to standard error. Dispose deletes the folder, whatever happened.
/// </summary>
internal sealed class VerifyBuilds(IServiceProvider services, Recipe recipe, BuildOptions options, TextWriter error) : IDisposable
{
    private readonly string scratch = services.GetRequiredService<ITemplateStore>().CreateScratchFolder();

    /// <summary>Builds the recipe once more; the exit code is for when it did not build (the reason was printed).</summary>
    public async Task<(VerifiedBuild? Build, int ExitCode)> RunAsync(int number, int count, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(scratch, number.ToString(CultureInfo.InvariantCulture));
        var image = Path.Combine(folder, "out", Path.GetFileName(recipe.Output.Path));
        var own = options with { OutputPath = image, CacheFolder = Path.Combine(folder, "cache") };
        await error.WriteLineAsync($"verify: build {number} of {count}, with an empty layer cache in {folder}");
        var builder = services.GetRequiredService<IImageBuilder>();
        var result = await ProgressOutput.RunAsync(error, error, json: false, options.Trace, services.GetRequiredService<TimeProvider>(),
            progress => builder.BuildAsync(recipe, own, progress, cancellationToken));
        if (!result.Succeeded)
        {
            BuildCommand.Report(result, options.Trace, error);
            return (null, ExitCodes.ForVerifyBuild(result.Outcome));
        }
        var (manifest, problem) = OutputManifest.Read(Manifest.PathFor(image));
        if (manifest is null) await error.WriteLineAsync($"error: build {number} wrote no usable manifest: {problem}");
        return manifest is null ? (null, ExitCodes.InvalidInput) : (new VerifiedBuild(image, manifest), ExitCodes.Ok);
    }

    public void Dispose()
    {
        try
        {
            TemplateStore.DeleteTree(scratch);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"warning: could not remove the scratch folder {scratch}: {e.Message}");
        }
    }
}
