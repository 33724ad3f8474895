using Builder.Execution;

namespace Builder.Reproducibility;

/// <summary>
/// The seal of a reproducible output: the finished disk made again so that the same file tree
/// gives the same bytes. Each ext2/3/4 filesystem is written anew from its tree (mke2fs -d) with
/// the filesystem's own UUID and hash seed, every time clamped to the source date, and its
/// bootloader installed again; the rest of the disk (partition table, boot code, swap) is kept.
/// </summary>
public interface IImageSealer
{
    /// <summary>Seals <paramref name="target"/>, a raw copy of <paramref name="image"/>, in place; <paramref name="image"/> is only read.</summary>
    /// <exception cref="ImageSealException">The disk holds what the seal cannot make again, or a tool failed.</exception>
    Task SealAsync(string image, string format, string target, long sourceDateEpoch, IBuildEvents events, CancellationToken cancellationToken);
}

/// <summary>Why an image could not be sealed, with what to do about it.</summary>
public sealed class ImageSealException(string message, string? hint = null, Exception? inner = null) : Exception(message, inner)
{
    public string? Hint { get; } = hint;
}

/// <summary>Where no sealer is registered (a library host without the host backend): a reproducible output fails with a reason.</summary>
internal sealed class UnavailableImageSealer : IImageSealer
{
    public Task SealAsync(string image, string format, string target, long sourceDateEpoch, IBuildEvents events, CancellationToken cancellationToken) =>
        throw new ImageSealException("no image sealer is registered, so a reproducible output cannot be written",
            "register the host backend (services.AddBuilder() does), which seals with e2fsprogs on the build host");
}
