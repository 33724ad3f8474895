using Builder.Guests;

namespace Builder.Steps.Packages;

/// <summary>What the package steps share: the guest's package manager, running its commands, and explaining failures.</summary>
internal static class PackageSteps
{
    public static PackageManager ManagerOf(StepContext context) =>
        PackageManager.For(context.Guest.Info.PackageManager)
        ?? throw new StepFailedException(
            $"the guest's package manager is '{context.Guest.Info.PackageManager}', which Builder does not drive",
            $"Builder drives {string.Join(", ", PackageManager.Supported)}; use a script step for others");

    /// <summary>Runs a package command. The image's finish cleans the caches it leaves (see <see cref="Execution.ImageFinish"/>).</summary>
    public static async Task RunAsync(StepContext context, PackageManager manager, string script, bool network,
        string what, CancellationToken cancellationToken)
    {
        var result = await context.RunAsync(new GuestCommand(script, Network: network), cancellationToken);
        if (result.Succeeded) return;
        // A package seems missing when its lists could not be fetched: the mirror is the cause then. The message names
        // the URL and the reason (refused, timed out: a mirror that stopped answering mid-download) as the manager said them.
        if (network && PackageManager.MirrorFailure(result.Tail) is { } failure)
            throw new StepFailedException($"the guest could not reach its package mirror while {what} ({manager.Name} exited {result.ExitCode}): {failure}",
                $"check the build host's network and the guest's package sources; output:\n{Tail(result)}");
        if (manager.MissingPackageIn(result.Tail) is { } missing)
            throw new StepFailedException($"the package '{missing}' does not exist in the guest's package sources ({manager.Name} exited {result.ExitCode})",
                $"check the name (and a pinned version) with the distribution's package search; output:\n{Tail(result)}");
        throw new StepFailedException($"{what} failed: {manager.Name} exited {result.ExitCode}", $"output:\n{Tail(result)}");
    }

    public static string Tail(GuestCommandResult result) => string.Join('\n', result.Tail.Select(line => "    " + line));

    /// <summary>Package names (with an optional version pin): nothing a shell would interpret, and no option.</summary>
    public static bool IsValidName(string package) =>
        package.Length > 0 && !package.StartsWith('-') && package.All(c => char.IsAsciiLetterOrDigit(c) || "+-._:~=<>@/*".Contains(c));
}
