namespace Builder.Execution;

/// <summary>
/// A host filesystem the build writes to (the output's folder, or the store with the layer cache)
/// ran out of space. It names that filesystem, since the tool that hit it (qemu-img, the export
/// daemon, a session file) says only "No space left on device".
/// </summary>
internal sealed class DiskFullException(string message, string hint, Exception inner) : IOException(message, inner)
{
    private const int NoSpaceErrno = 28;

    public string Hint { get; } = hint;

    /// <summary>
    /// Whether running out of space on a host filesystem caused this failure. A step's own failure does
    /// not count: there "no space" is the guest's filesystem being full, which the step reports itself.
    /// </summary>
    public static bool IsCause(Exception exception) => exception switch
    {
        DiskFullException or StepRunException => false,
        AggregateException all => all.InnerExceptions.Any(IsCause),
        IOException { HResult: NoSpaceErrno } => true,
        _ when exception.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase) => true,
        _ => exception.InnerException is { } inner && IsCause(inner),
    };

    /// <summary>The failure of writing into <paramref name="folder"/>, which holds <paramref name="what"/> ("the output", "the layer cache").</summary>
    public static DiskFullException For(Exception cause, string folder, string what, string remedy)
    {
        var filesystem = HostFilesystem.Of(folder);
        return new DiskFullException(
            $"no space left on device: the filesystem at {filesystem} is full; it holds {what} ({folder})",
            $"free space on {filesystem.MountPoint}, or {remedy}",
            cause);
    }
}
