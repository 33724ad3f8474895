using System.CommandLine;
using Builder.Cli.Commands.Templates;
using Builder.Execution;
using Builder.Guests;
using Builder.Images;
using Builder.Reproducibility;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.Cli.Commands;

/// <summary>
/// `builder diff A B`: compares two disk images file by file (any qcow2, raw, vmdk…, Builder's or
/// not), or two Builder manifests field by field and package by package. Exit 0 identical, 1 they
/// differ, 2 bad input or trouble, as diff(1) does.
/// </summary>
internal static class DiffCommand
{
    public static Command Create(CliContext context)
    {
        var a = new Argument<string>("a") { Description = "An image (qcow2, raw, … : any format qemu-img reads) or a NAME.manifest.json" };
        var b = new Argument<string>("b") { Description = "Another of the same kind, compared against A" };
        var json = new Option<bool>("--json") { Description = "Print the differences as one JSON object" };
        var mtime = new Option<bool>("--mtime") { Description = "Compare modification times too (builds do not make them reproducible yet)" };
        var flags = new SessionFlags();
        var command = new Command("diff", "Compare two images file by file, or two manifests: what was added, removed and changed")
            { a, b, json, mtime, flags.Backend, flags.Accel };
        command.SetAction(async parse =>
        {
            var (services, output, error) = (context.Services(parse), context.Output, context.Error);
            var (first, second) = (DiffInput.Classify(parse.GetValue(a)!), DiffInput.Classify(parse.GetValue(b)!));
            foreach (var input in new[] { first, second }.Where(i => i.Problem is not null))
            {
                await error.WriteLineAsync($"error: {input.Path} {input.Problem}");
                return ExitCodes.InvalidInput;
            }
            if (first.IsManifest != second.IsManifest)
            {
                var (manifest, image) = first.IsManifest ? (first, second) : (second, first);
                await error.WriteLineAsync($"error: {manifest.Path} is a manifest but {image.Path} is not: compare two images, or two manifests");
                return ExitCodes.InvalidInput;
            }

            DiffResult result;
            if (first.IsManifest) result = ManifestDiff.Compare(first.Manifest!, second.Manifest!);
            else
            {
                using var interrupt = new InterruptSignals(error);
                var session = new GuestSessionOptions(Enum.Parse<Accelerator>(parse.GetValue(flags.Accel)!, ignoreCase: true),
                    BuildOptions.DefaultLaunchTimeout, Trace: false);
                if (await ReadTreesAsync(services, first.Path, second.Path, BackendSelector.Parse(parse.GetValue(flags.Backend)), session, error,
                        interrupt.Token) is not { } trees)
                    return interrupt.Token.IsCancellationRequested ? ExitCodes.Interrupted : ExitCodes.InvalidInput;
                result = TreeDiff.Compare(trees.A, trees.B, parse.GetValue(mtime));
            }
            await output.WriteAsync(parse.GetValue(json) ? DiffOutput.Json(result, first.Path, second.Path) : DiffOutput.Text(result));
            return result.Identical ? ExitCodes.Ok : ExitCodes.Differ;
        });
        return command;
    }

    /// <summary>Both trees, read at once (a session each, on the backend builds would use); null after printing why not.</summary>
    private static async Task<(IReadOnlyList<GuestTreeEntry> A, IReadOnlyList<GuestTreeEntry> B)?> ReadTreesAsync(IServiceProvider services,
        string a, string b, BackendChoice? asked, GuestSessionOptions session, TextWriter error, CancellationToken cancellationToken)
    {
        BackendDecision backend;
        try
        {
            backend = services.GetRequiredService<BackendSelector>().Choose(asked, null, null);
        }
        catch (BackendUnavailableException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return null;
        }
        var reader = services.GetRequiredService<ImageTreeReader>();
        var reads = new[] { a, b }.Select(path => ReadOneAsync(reader, path, backend.Backend, session, error, cancellationToken)).ToList();
        var trees = await Task.WhenAll(reads);
        return trees[0] is { } first && trees[1] is { } second ? (first, second) : null;
    }

    private static async Task<IReadOnlyList<GuestTreeEntry>?> ReadOneAsync(ImageTreeReader reader, string path, IGuestBackend backend,
        GuestSessionOptions session, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(path, backend, session, new NoticesTo(new PrefixedWriter(error, path)), cancellationToken);
        }
        catch (DiskImageException e)
        {
            Write(error, $"error: {path} is not a disk image qemu-img reads: {e.Message}");
        }
        catch (GuestOperationException e) when (e.Operation == "inspect")
        {
            Write(error, $"error: {path}: {e.Message}");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Write(error, $"error: {path} could not be read with the {backend.Name} backend: {e.Message}");
        }
        catch (Exception)
        {
            Write(error, $"error: {path}: interrupted");
        }
        return null;
    }

    private static void Write(TextWriter error, string line)
    {
        lock (error) error.WriteLine(line);
    }

    /// <summary>Notices name the image they are about: "note: a.qcow2: no operating system found…".</summary>
    private sealed class PrefixedWriter(TextWriter inner, string prefix) : StringWriter
    {
        public override void WriteLine(string? value) => DiffCommand.Write(inner, value is not null && value.StartsWith("note: ", StringComparison.Ordinal)
            ? $"note: {prefix}: {value["note: ".Length..]}"
            : value ?? "");
    }
}
