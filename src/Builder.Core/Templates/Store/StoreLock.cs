using Builder.Execution;

namespace Builder.Templates.Store;

/// <summary>
/// An exclusive lock on a file, held by an open handle (.NET takes flock(2) for FileShare.None), so
/// the kernel drops it when the process dies, even by SIGKILL.
/// </summary>
internal sealed class StoreLock : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    private readonly FileStream handle;

    private StoreLock(FileStream handle) => this.handle = handle;

    public static async Task<IDisposable> AcquireAsync(string path, string what, IBuildEvents events, CancellationToken cancellationToken)
    {
        var told = false;
        while (true)
        {
            try
            {
                return new StoreLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                if (!told)
                {
                    events.Emit(new Notice($"waiting for another builder process working on {what}"));
                    told = true;
                }
                await Task.Delay(Poll, cancellationToken);
            }
        }
    }

    /// <summary>The lock if it is free now, else null.</summary>
    public static IDisposable? TryAcquire(string path)
    {
        try
        {
            return new StoreLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => handle.Dispose();
}
