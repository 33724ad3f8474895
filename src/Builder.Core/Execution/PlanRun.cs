using Builder.Guests;
using Builder.Images;
using Builder.Planning;
using Builder.Recipes;
using Builder.Secrets;
using Builder.Steps;

namespace Builder.Execution;

/// <summary>What a build uses from outside: qemu-img, the guest backend, secrets, the hasher, the clock.</summary>
internal sealed record BuildServices(IDiskImages Images, IGuestBackend Backend, ISecretReader Secrets, IPasswordHasher PasswordHasher, TimeProvider Time);

/// <summary>One run of one plan; holds what the phases share.</summary>
internal sealed class PlanRun(
    BuildPlan plan, DiskInfo template, GuestLayout? layout, string outputPath, ImageFormat format, BuildOptions options, IBuildEvents events, BuildServices services)
{
    /// <summary>Runs the plan and publishes the output; returns what qemu-img says of the output.</summary>
    public async Task<DiskInfo> RunAsync(CancellationToken cancellationToken)
    {
        using var work = WorkArea.CreateBeside(outputPath);
        await Phase("overlay", $"Creating overlay on {plan.Template.Path}", () =>
            services.Images.CreateOverlayAsync(work.Overlay, plan.Template.FullPath, template.Format, plan.Recipe.Size?.Bytes, cancellationToken));

        var session = options.Session with { Network = plan.UsesNetwork };
        var guest = await services.Backend.OpenAsync(new GuestDisk(work.Overlay, "qcow2", layout), session, events, cancellationToken);
        try
        {
            var context = new StepContext(guest, events, services.Secrets, services.PasswordHasher, new StepSession());
            foreach (var step in plan.Steps)
                await RunStepAsync(step, context with { Number = step.Number }, cancellationToken);
            var finalizers = context.Session.Finalizers();
            if (finalizers.Count > 0)
                await Phase("finish", "Cleaning package caches", async () =>
                {
                    foreach (var finalizer in finalizers) await finalizer(context, cancellationToken);
                });
        }
        catch
        {
            // The overlay is thrown away: close the session without letting a close error hide the cause.
            try { await guest.DisposeAsync(); } catch (Exception) { }
            throw;
        }
        // Closing flushes the overlay; an error here means the image may be incomplete, so it fails the build.
        await guest.DisposeAsync();

        await Phase("emit", $"Writing {format.Name()} image", () =>
            services.Images.ConvertAsync(work.Overlay, "qcow2", work.PendingOutput, format.Name(), cancellationToken));
        var written = await services.Images.InfoAsync(work.PendingOutput, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        Publish(work);
        return written;
    }

    private async Task RunStepAsync(PlannedStep step, StepContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var started = services.Time.GetTimestamp();
        events.Emit(new StepStarted(step.Number, plan.Steps.Count, step.Kind, step.Description, step.Id.Hex, step.Source));
        try
        {
            await step.Step.Kind.ExecuteAsync(step.Step.Options, context, cancellationToken);
        }
        catch (Exception e) when (e is StepFailedException or GuestOperationException && !cancellationToken.IsCancellationRequested)
        {
            throw new StepRunException(step, e);
        }
        events.Emit(new StepCompleted(step.Number, services.Time.GetElapsedTime(started)));
    }

    private async Task Phase(string name, string description, Func<Task> action)
    {
        var started = services.Time.GetTimestamp();
        events.Emit(new PhaseStarted(name, description));
        await action();
        events.Emit(new PhaseCompleted(name, services.Time.GetElapsedTime(started)));
    }

    /// <summary>The manifest first, then the image: a manifest without its image is harmless, the reverse is not.</summary>
    private void Publish(WorkArea work)
    {
        File.WriteAllText(work.PendingManifest, Manifest.Create(plan, services.Backend.Name, format));
        FlushToDisk(work.PendingOutput);
        FlushToDisk(work.PendingManifest);
        File.Move(work.PendingManifest, Manifest.PathFor(outputPath), overwrite: true);
        File.Move(work.PendingOutput, outputPath, overwrite: true);
    }

    private static void FlushToDisk(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Flush(flushToDisk: true);
    }
}
