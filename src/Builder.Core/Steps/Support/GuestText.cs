using System.Text;
using Builder.Guests;

namespace Builder.Steps.Support;

/// <summary>Reading and writing guest text files as UTF-8, keeping their line endings.</summary>
internal static class GuestText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<string?> ReadIfExistsAsync(IGuest guest, string path, CancellationToken cancellationToken)
    {
        var stat = await guest.LstatAsync(path, cancellationToken);
        if (stat is null) return null;
        return Decode(path, await guest.ReadFileAsync(path, cancellationToken));
    }

    public static async Task<string> ReadAsync(IGuest guest, string path, CancellationToken cancellationToken) =>
        await ReadIfExistsAsync(guest, path, cancellationToken)
        ?? throw new StepFailedException($"{path} does not exist in the guest");

    public static ValueTask WriteAsync(IGuest guest, string path, string content, CancellationToken cancellationToken) =>
        guest.WriteFileAsync(path, StrictUtf8.GetBytes(content), cancellationToken);

    /// <summary>"\r\n" when the text already uses it, else "\n".</summary>
    public static string LineEnding(string text) => text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";

    public static string[] Lines(string text) =>
        text.Length == 0 ? [] : text.TrimEnd('\n').Replace("\r\n", "\n").TrimEnd('\r').Split('\n');

    public static string Join(IEnumerable<string> lines, string ending) =>
        string.Concat(lines.Select(line => line + ending));

    private static string Decode(string path, byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new StepFailedException($"{path} is not UTF-8 text", "this step edits text files only");
        }
    }
}
