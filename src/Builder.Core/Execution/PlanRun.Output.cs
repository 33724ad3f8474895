using Builder.Images;
using Builder.Recipes;
using Builder.Reproducibility;

namespace Builder.Execution;

/// <summary>Writing a plan run's image: the seal of a reproducible output, the emit, and publishing beside the manifest.</summary>
internal sealed partial class PlanRun
{
    /// <summary>
    /// The seal of a reproducible output (<see cref="IImageSealer"/>): a raw copy of the finished disk
    /// in the work area, its filesystems made again from their trees; the emit then converts it.
    /// </summary>
    private async Task<Disk> SealAsync(Disk top, WorkArea work, CancellationToken cancellationToken)
    {
        var sourceDate = plan.SourceDate?.Epoch ?? throw new InvalidOperationException("a reproducible output is planned with its source date");
        var sealedDisk = work.SealedDisk;
        writes.WritingTo(work.Path, toCache: false);
        await Phase("seal", $"Sealing the image: filesystems made again from their trees, times clamped to {sourceDate}", async () =>
        {
            await services.Images.ConvertAsync(top.Path, top.Format, sealedDisk, "raw", cancellationToken);
            await services.Sealer.SealAsync(top.Path, top.Format, sealedDisk, sourceDate, events, cancellationToken);
        });
        return new Disk(sealedDisk, "raw", null);
    }

    /// <summary>The image: standalone in the output format, or a thin overlay holding what differs from the template.</summary>
    private Task EmitAsync(Disk top, WorkArea work, CancellationToken cancellationToken)
    {
        writes.WritingTo(work.Path, toCache: false);
        var output = plan.Recipe.Output;
        if (output.BackedByTemplate && format == ImageFormat.Qcow2)
        {
            var backingPath = output.RelativeBacking
                ? Path.GetRelativePath(Path.GetDirectoryName(outputPath)!, plan.Template.FullPath)
                : plan.Template.FullPath;
            return Phase("emit", $"Writing a qcow2 overlay on {plan.Template.Path}", () =>
                services.Images.WriteThinAsync(top.Path, plan.Template.FullPath, template.Format, work.PendingOutput, backingPath, cancellationToken));
        }
        var target = output.TargetFor(format);
        var subformat = output.SubformatFor(format) is { } chosen ? $" ({chosen})" : "";
        return Phase("emit", $"Writing {(target.Compress ? "compressed " : "")}{format.Name()} image{subformat}", () =>
            services.Images.ConvertAsync(top.Path, top.Format, work.PendingOutput, target, cancellationToken));
    }

    /// <summary>
    /// The manifest first, then the image, each by a rename: a manifest without its image is
    /// harmless, the reverse is not, and a build killed at any point leaves nothing at the output
    /// path. qemu-img convert fdatasyncs the image it writes (its default cache mode); asking it not
    /// to (-t unsafe) made no measurable difference to the emit, so it keeps that. The renames are not
    /// followed by an fsync of the folder: the output is a build result, made again by building again.
    /// </summary>
    private void Publish(WorkArea work, ManifestFacts facts)
    {
        File.WriteAllText(work.PendingManifest, Manifest.Create(plan, backend.Name, format, facts));
        File.Move(work.PendingManifest, Manifest.PathFor(outputPath), overwrite: true);
        File.Move(work.PendingOutput, outputPath, overwrite: true);
    }
}
