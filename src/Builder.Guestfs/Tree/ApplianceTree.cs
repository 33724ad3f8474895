using System.IO.Pipes;
using Builder.Guests;

namespace Builder.Guestfs.Tree;

/// <summary>
/// <see cref="IGuest.TreeAsync"/> in the appliance: guestfs_tar_out of "/" streamed through a pipe
/// (libguestfs writes to /dev/fd/N, its write end) and read as it comes (<see cref="TarTree"/>),
/// so the tree never lands on the host's disk. The reader closes the read end when it fails, so
/// the writer fails too rather than waiting on a full pipe.
/// </summary>
internal static class ApplianceTree
{
    /// <param name="tarOut">Writes the tar of the guest's "/" to the host path it is given.</param>
    public static async Task<IReadOnlyList<GuestTreeEntry>> ReadAsync(Func<string, Task> tarOut, CancellationToken cancellationToken)
    {
        var pipe = new AnonymousPipeServerStream(PipeDirection.In, System.IO.HandleInheritability.None);
        var writeEnd = pipe.ClientSafePipeHandle;
        var reading = Task.Run(() =>
        {
            using (pipe) return TarTree.Read(pipe, cancellationToken);
        }, CancellationToken.None);
        try
        {
            await tarOut($"/dev/fd/{writeEnd.DangerousGetHandle()}").ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            writeEnd.Dispose();
            // When the reader failed first (a tar it cannot read), the writer only saw a broken pipe: say both.
            try { await reading.ConfigureAwait(false); }
            catch (Exception readError) when (readError is InvalidDataException or FormatException or EndOfStreamException)
            {
                throw new GuestOperationException("tree", "/", $"{e.Message}; reading the tar: {readError.Message}", e);
            }
            catch (Exception) { }
            throw;
        }
        catch
        {
            writeEnd.Dispose();
            try { await reading.ConfigureAwait(false); } catch (Exception) { }
            throw;
        }
        // libguestfs has closed its copy of the write end: with this one closed too, the reader sees the end.
        writeEnd.Dispose();
        return await reading.ConfigureAwait(false);
    }
}
