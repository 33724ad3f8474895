using Builder.Guests;
using Builder.Recipes;
using Builder.Steps;
using Builder.Steps.Packages;

namespace Builder.Execution;

/// <summary>
/// The image's last layer, after every step: package caches cleaned (when a step filled them and
/// none asked to keep them) and machine identity removed (<see cref="CloneIdentity"/>). Layers
/// before it keep their package lists, so a later package step need not fetch them again; the
/// finish has an id of its own, so it is cached like a layer and shared like one.
/// </summary>
public static class ImageFinish
{
    /// <summary>Whether a step filled the package caches and none said keep-cache.</summary>
    public static bool CleansPackageCaches(IEnumerable<RecipeStep> steps)
    {
        var uses = steps.Select(s => s.Kind.PackageCaches(s.Options)).ToList();
        return uses.Contains(PackageCacheUse.Clean) && !uses.Contains(PackageCacheUse.Keep);
    }

    public static async Task RunAsync(IGuest guest, bool cleanPackageCaches, CancellationToken cancellationToken)
    {
        if (cleanPackageCaches) await CleanPackageCachesAsync(guest, cancellationToken);
        await CloneIdentity.ResetAsync(guest, cancellationToken);
        await TrimAsync(guest, cancellationToken);
    }

    /// <summary>
    /// fstrim on the guest's root filesystem, so the blocks of deleted files (package lists, the
    /// caches just cleaned) read as zeros and are not written into the image. Only "/": never -a,
    /// which would read the mount table of whoever runs the command. Best effort: a filesystem or
    /// disk that cannot discard just stays as it is, and a guest where no command can run (a bare
    /// data filesystem, no working /bin/sh) is not trimmed.
    /// </summary>
    private static async Task TrimAsync(IGuest guest, CancellationToken cancellationToken)
    {
        if (await guest.LstatAsync("/bin/sh", cancellationToken) is null) return;
        try
        {
            await guest.RunAsync(new GuestCommand("if command -v fstrim >/dev/null 2>&1; then fstrim / || true; fi\n"), _ => { }, cancellationToken);
        }
        catch (GuestOperationException) when (!cancellationToken.IsCancellationRequested)
        {
            // The guest cannot run commands: nothing to trim with.
        }
    }

    /// <summary>Downloaded packages and package lists, with the guest's package manager.</summary>
    public static async Task CleanPackageCachesAsync(IGuest guest, CancellationToken cancellationToken)
    {
        if (PackageManager.For(guest.Info.PackageManager) is not { } manager) return;
        var result = await guest.RunAsync(new GuestCommand(manager.Clean()), _ => { }, cancellationToken);
        if (!result.Succeeded)
            throw new StepFailedException($"cleaning the package caches failed ({manager.Name} exited {result.ExitCode})",
                $"output:\n{PackageSteps.Tail(result)}");
    }
}
