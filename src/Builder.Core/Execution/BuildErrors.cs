using Builder.Guests;
using Builder.Images;
using Builder.Processes;
using Builder.Steps;
using Builder.Templates.Building;

namespace Builder.Execution;

/// <summary>Turns what can go wrong during a build into one paragraph for the user; anything unforeseen is reported as a bug.</summary>
internal static class BuildErrors
{
    public static BuildError From(Exception exception) => exception switch
    {
        StepRunException { InnerException: var inner } run => new BuildError(
            $"step {run.Step.Number} ({run.Step.Kind}, {run.Step.Source}) failed: {inner!.Message}",
            (inner as StepFailedException)?.Hint ?? GuestFilesystemFull(inner),
            run.Step.Source,
            inner.ToString()),
        StepFailedException failed => new BuildError(failed.Message, failed.Hint, null, failed.ToString()),
        Reproducibility.ImageSealException seal => new BuildError($"sealing the image failed: {seal.Message}", seal.Hint, null, seal.ToString()),
        DiskGrowthException growth => new BuildError(growth.Message, growth.Hint, null, growth.ToString()),
        TemplateBuildException template => new BuildError($"building the template failed: {template.Message}", template.Hint, null, template.ToString()),
        TimeoutException timeout => new BuildError(timeout.Message,
            "the machine may be overloaded; raise the limit with --launch-timeout, or check `libguestfs-test-tool`", null, timeout.ToString()),
        GuestOperationException guest => new BuildError(guest.Message, null, null, guest.ToString()),
        DiskImageException disk => new BuildError(disk.Message, null, null, disk.ToString()),
        ProgramNotFoundException missing => new BuildError(missing.Message, null, null, missing.ToString()),
        DiskFullException full => new BuildError(full.Message, full.Hint, null, full.ToString()),
        IOException io => new BuildError($"I/O error: {io.Message}", "check free space and permissions of the output folder", null, io.ToString()),
        UnauthorizedAccessException denied => new BuildError($"permission denied: {denied.Message}", null, null, denied.ToString()),
        _ => new BuildError($"internal error: {exception.GetType().Name}: {exception.Message}",
            "this is a bug in builder; please report it with the output of the same build run with -v", null, exception.ToString()),
    };

    /// <summary>A step's "No space left on device" is the guest's filesystem filling up: said so, lest it be taken for the host's.</summary>
    private static string? GuestFilesystemFull(Exception inner) =>
        inner is GuestOperationException { BackendMessage: var message } && message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)
            ? "the guest's filesystem is full (not the build host's): delete files in an earlier step, or grow the disk with `size:`"
            : null;
}
