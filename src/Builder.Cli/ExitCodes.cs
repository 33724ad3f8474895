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

    /// <summary>Stopped by Ctrl-C or SIGTERM (128 + SIGINT), as shells report it.</summary>
    public const int Interrupted = 130;

    public static int For(BuildOutcome outcome) => outcome switch
    {
        BuildOutcome.Succeeded => Ok,
        BuildOutcome.Invalid => InvalidInput,
        BuildOutcome.Cancelled => Interrupted,
        _ => BuildFailed,
    };
}
