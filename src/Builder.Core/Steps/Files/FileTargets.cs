using Builder.Guests;

namespace Builder.Steps.Files;

/// <summary>Checks shared by steps that create files, so failures name the real problem.</summary>
internal static class FileTargets
{
    /// <summary>The path must not be a folder, and its parent folder must exist.</summary>
    public static async Task RequireWritableFileAsync(IGuest guest, string path, CancellationToken cancellationToken)
    {
        var stat = await guest.LstatAsync(path, cancellationToken);
        if (stat?.Type == GuestFileType.Directory)
            throw new StepFailedException($"{path} is a folder in the guest, not a file");
        var parent = Parent(path);
        var parentStat = await guest.LstatAsync(parent, cancellationToken);
        if (parentStat is null)
            throw new StepFailedException($"the folder {parent} does not exist in the guest", $"add a step before it: - mkdir: {parent}");
    }

    public static string Parent(string path)
    {
        var slash = path.TrimEnd('/').LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }
}
