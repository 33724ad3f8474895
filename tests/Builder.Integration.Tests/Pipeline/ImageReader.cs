using System.Text;
using Builder.Guests;
using Builder.IntegrationTests.Guestfs;

namespace Builder.IntegrationTests.Pipeline;

/// <summary>
/// Reads a built image back through libguestfs. The session runs on a throwaway overlay of the
/// image, so reading never changes the image itself.
/// </summary>
internal sealed class ImageReader : IAsyncDisposable
{
    private readonly string overlay;

    private ImageReader(IGuest guest, string overlay)
    {
        Guest = guest;
        this.overlay = overlay;
    }

    public IGuest Guest { get; }

    public static async Task<ImageReader> OpenAsync(string image, string format, string scratchFolder)
    {
        Directory.CreateDirectory(scratchFolder);
        var overlay = Path.Combine(scratchFolder, $"read-{Guid.NewGuid():N}.qcow2");
        Tools.Run("qemu-img", "create", "-q", "-f", "qcow2", "-F", format, "-b", image, overlay);
        var guest = await Tools.Backend(scratchFolder).OpenAsync(
            new GuestDisk(overlay, "qcow2"),
            new GuestSessionOptions(Accelerator.Auto, TimeSpan.FromMinutes(5), Trace: false),
            new RecordingEvents(),
            CancellationToken.None);
        return new ImageReader(guest, overlay);
    }

    public async Task<string> TextAsync(string path) => Encoding.UTF8.GetString(await Guest.ReadFileAsync(path));

    public async Task<GuestStat> StatAsync(string path) =>
        await Guest.LstatAsync(path) ?? throw new Xunit.Sdk.XunitException($"{path} does not exist in the image");

    public async ValueTask DisposeAsync()
    {
        await Guest.DisposeAsync();
        File.Delete(overlay);
    }
}
