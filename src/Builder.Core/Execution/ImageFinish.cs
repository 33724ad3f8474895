using Builder.Guests;
using Builder.Recipes;
using Builder.Steps;
using Builder.Steps.Packages;

namespace Builder.Execution;

/// <summary>
/// The image's last layer, after every step: package caches cleaned (when a step filled them and
/// none asked to keep them) and machine identity removed (<see cref="CloneIdentity"/>); then the
/// build sparsifies it (<see cref="IGuest.SparsifyAsync"/>) unless output.sparsify is false. Layers
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

    public static async Task RunAsync(IGuest guest, bool cleanPackageCaches, bool removeBuildNoise, CancellationToken cancellationToken)
    {
        if (cleanPackageCaches) await CleanPackageCachesAsync(guest, cancellationToken);
        await CloneIdentity.ResetAsync(guest, cancellationToken);
        if (removeBuildNoise) await Reproducibility.BuildNoise.RemoveAsync(guest, cancellationToken);
    }

    /// <summary>Downloaded packages and package lists of the guest's package manager, deleted as files.</summary>
    public static async Task CleanPackageCachesAsync(IGuest guest, CancellationToken cancellationToken)
    {
        if (PackageManager.For(guest.Info.PackageManager) is not { } manager) return;
        foreach (var pattern in manager.CacheFiles)
            foreach (var path in await guest.GlobAsync(pattern, cancellationToken))
                await guest.DeleteAsync(path, cancellationToken);
    }
}
