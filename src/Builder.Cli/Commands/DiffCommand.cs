using System.CommandLine;
using Builder.Execution;
using Builder.Guests;
using Builder.Reproducibility;

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
                if (await ImageTrees.ReadBothAsync(services, first.Path, second.Path, BackendSelector.Parse(parse.GetValue(flags.Backend)), session, error,
                        interrupt.Token) is not { } trees)
                    return interrupt.Token.IsCancellationRequested ? ExitCodes.Interrupted : ExitCodes.InvalidInput;
                result = TreeDiff.Compare(trees.A, trees.B, parse.GetValue(mtime));
            }
            await output.WriteAsync(parse.GetValue(json) ? DiffOutput.Json(result, first.Path, second.Path) : DiffOutput.Text(result));
            return result.Identical ? ExitCodes.Ok : ExitCodes.Differ;
        });
        return command;
    }
}
