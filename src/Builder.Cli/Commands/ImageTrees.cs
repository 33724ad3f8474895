using Builder.Cli.Commands.Templates;
using Builder.Execution;
using Builder.Guests;
using Builder.Images;
using Builder.Reproducibility;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.Cli.Commands;

/// <summary>
/// The file trees of two disk images, read at once (a session each, on the backend a build would
/// use), for `builder diff` and `builder verify`. Problems are printed to the error writer, each
/// naming its image.
/// </summary>
internal static class ImageTrees
{
    /// <summary>Both trees; null after printing why not.</summary>
    public static async Task<(IReadOnlyList<GuestTreeEntry> A, IReadOnlyList<GuestTreeEntry> B)?> ReadBothAsync(IServiceProvider services,
        string a, string b, BackendChoice? asked, GuestSessionOptions session, TextWriter error, CancellationToken cancellationToken)
    {
        BackendDecision backend;
        try
        {
            backend = services.GetRequiredService<BackendSelector>().Choose(asked, null, null);
        }
        catch (BackendUnavailableException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return null;
        }
        var reader = services.GetRequiredService<ImageTreeReader>();
        var reads = new[] { a, b }.Select(path => ReadOneAsync(reader, path, backend.Backend, session, error, cancellationToken)).ToList();
        var trees = await Task.WhenAll(reads);
        return trees[0] is { } first && trees[1] is { } second ? (first, second) : null;
    }

    private static async Task<IReadOnlyList<GuestTreeEntry>?> ReadOneAsync(ImageTreeReader reader, string path, IGuestBackend backend,
        GuestSessionOptions session, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(path, backend, session, new NoticesTo(new PrefixedWriter(error, path)), cancellationToken);
        }
        catch (DiskImageException e)
        {
            Write(error, $"error: {path} is not a disk image qemu-img reads: {e.Message}");
        }
        catch (GuestOperationException e) when (e.Operation == "inspect")
        {
            Write(error, $"error: {path}: {e.Message}");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Write(error, $"error: {path} could not be read with the {backend.Name} backend: {e.Message}");
        }
        catch (Exception)
        {
            Write(error, $"error: {path}: interrupted");
        }
        return null;
    }

    private static void Write(TextWriter error, string line)
    {
        lock (error) error.WriteLine(line);
    }

    /// <summary>Notices name the image they are about: "note: a.qcow2: no operating system found…".</summary>
    private sealed class PrefixedWriter(TextWriter inner, string prefix) : StringWriter
    {
        public override void WriteLine(string? value) => ImageTrees.Write(inner, value is not null && value.StartsWith("note: ", StringComparison.Ordinal)
            ? $"note: {prefix}: {value["note: ".Length..]}"
            : value ?? "");
    }
}
