using System.Text;
using Builder.Processes;

namespace Builder.Templates.Repositories.Sources;

/// <summary>
/// Checks a clearsigned index with gpgv against one key file, and returns only the text the
/// signature covers (gpgv --output), never the bytes around it. An armored key is converted with
/// gpg --dearmor first (gpgv reads binary keyrings only). Everything happens in a private temporary
/// folder that is removed afterwards; no user keyring is read or written.
/// </summary>
public static class IndexSignature
{
    public static async Task<byte[]> VerifyAsync(byte[] signedIndex, string keyFile, string display, CancellationToken cancellationToken)
    {
        byte[] key;
        try
        {
            key = await File.ReadAllBytesAsync(keyFile, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw RepositoryException.MissingKey(keyFile);
        }

        var folder = Directory.CreateTempSubdirectory("builder-gpgv-").FullName;
        try
        {
            var keyring = Path.Combine(folder, "keyring.gpg");
            if (IsArmored(key))
            {
                var armored = Path.Combine(folder, "key.asc");
                await File.WriteAllBytesAsync(armored, key, cancellationToken);
                var dearmor = await RunAsync("gpg", ["--batch", "--quiet", "--no-options", "--homedir", folder,
                    "--dearmor", "--output", keyring, armored], cancellationToken);
                if (dearmor.ExitCode != 0) throw RepositoryException.ToolFailed("gpg", $"to read the key {keyFile}", Last(dearmor.StandardError));
            }
            else
            {
                await File.WriteAllBytesAsync(keyring, key, cancellationToken);
            }

            // A name unrelated to any data file, so gpgv does not look for a detached one beside it.
            var input = Path.Combine(folder, "signed-index");
            var output = Path.Combine(folder, "verified-index");
            await File.WriteAllBytesAsync(input, signedIndex, cancellationToken);
            var result = await RunAsync("gpgv", ["--homedir", folder, "--keyring", keyring, "--status-fd", "1",
                "--output", output, input], cancellationToken);
            var good = result.StandardOutput.Split('\n').Any(l => l.StartsWith("[GNUPG:] VALIDSIG ", StringComparison.Ordinal));
            var bad = result.StandardOutput.Split('\n').Any(l => l.StartsWith("[GNUPG:] BADSIG ", StringComparison.Ordinal));
            if (result.ExitCode != 0 || !good || bad || !File.Exists(output))
                throw RepositoryException.BadSignature(display, Reason(result));
            return await File.ReadAllBytesAsync(output, cancellationToken);
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); }
            catch (IOException) { }
        }
    }

    private static bool IsArmored(byte[] key) =>
        Encoding.ASCII.GetString(key, 0, Math.Min(key.Length, 4096)).Contains("-----BEGIN PGP PUBLIC KEY BLOCK-----", StringComparison.Ordinal);

    private static async Task<ProcessResult> RunAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        try
        {
            return await ProcessRunner.RunAsync(program, arguments, cancellationToken);
        }
        catch (ProgramNotFoundException e)
        {
            throw RepositoryException.ToolFailed(program, "to start", e.Message);
        }
    }

    private static string Reason(ProcessResult result)
    {
        var status = result.StandardOutput.Split('\n');
        if (status.Any(l => l.StartsWith("[GNUPG:] BADSIG ", StringComparison.Ordinal))) return "BAD signature";
        if (status.Any(l => l.StartsWith("[GNUPG:] NO_PUBKEY ", StringComparison.Ordinal) || l.StartsWith("[GNUPG:] ERRSIG ", StringComparison.Ordinal)))
            return "it was not made by the configured key";
        if (status.Any(l => l.StartsWith("[GNUPG:] NODATA ", StringComparison.Ordinal))) return "it holds no signature";
        return Last(result.StandardError);
    }

    private static string Last(string error)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "no message" : lines[^1];
    }
}
