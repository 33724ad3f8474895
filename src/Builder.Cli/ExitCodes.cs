using Builder.Execution;

namespace Builder.Cli;

/// <summary>The documented exit codes of `builder`.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int BuildFailed = 1;
    public const int InvalidInput = 2;

    /// <summary>`builder diff`: the two images or manifests differ (as diff(1) says it).</summary>
    public const int Differ = 1;

    /// <summary>`builder verify`: the image's bytes differ between the two builds, or from the earlier manifest.</summary>
    public const int NotReproducible = 1;

    /// <summary>Stopped by Ctrl-C or SIGTERM (128 + SIGINT), as shells report it.</summary>
    public const int Interrupted = 130;

    public static int For(BuildOutcome outcome) => outcome switch
    {
        BuildOutcome.Succeeded => Ok,
        BuildOutcome.Invalid => InvalidInput,
        BuildOutcome.Cancelled => Interrupted,
        _ => BuildFailed,
    };

    /// <summary>
    /// `builder verify` when one of its builds did not succeed: there is no verdict, so not 1 (not
    /// reproducible) but 2, as diff(1) reports trouble; 130 when interrupted.
    /// </summary>
    public static int ForVerifyBuild(BuildOutcome outcome) => outcome == BuildOutcome.Cancelled ? Interrupted : InvalidInput;
}
