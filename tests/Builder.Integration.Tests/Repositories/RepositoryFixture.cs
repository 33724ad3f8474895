using System.Diagnostics;
using System.Security.Cryptography;
using Builder.IntegrationTests.Guestfs;

namespace Builder.IntegrationTests.Repositories;

[CollectionDefinition(Name)]
public sealed class RepositoryCollection : ICollectionFixture<RepositoryFixture>
{
    public const string Name = "virt-builder repositories";
}

/// <summary>
/// Made once for every repository test: the tiny fixture template (templates/tiny/build), its
/// xz-compressed form and checksums, and a throwaway gpg key in a private GNUPGHOME, exported as
/// a binary keyring and as an armored key for repos.d gpgkey=.
/// </summary>
public sealed class RepositoryFixture : IDisposable
{
    public const string KeyUser = "test@example.invalid";

    public RepositoryFixture()
    {
        Folder = Directory.CreateTempSubdirectory("builder-repos-fixture-").FullName;
        Template = Path.Combine(Folder, "tiny.qcow2");
        Tools.Run(Path.Combine(Tools.RepositoryRoot, "templates", "tiny", "build"), Template);
        TemplateSha256 = Tools.Sha256(Template);
        Tools.Run("xz", "--compress", "--keep", "--threads=0", Template);
        CompressedTemplate = Template + ".xz";
        CompressedSha512 = Sha512(CompressedTemplate);
        var info = Tools.Run("qemu-img", "info", "--output=json", Template);
        VirtualSize = System.Text.Json.JsonDocument.Parse(info).RootElement.GetProperty("virtual-size").GetInt64();

        GnuPgHome = Path.Combine(Folder, "gnupg");
        Directory.CreateDirectory(GnuPgHome);
        File.SetUnixFileMode(GnuPgHome, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Gpg("--batch", "--passphrase", "", "--quick-gen-key", $"Builder Test <{KeyUser}>", "default", "default", "never");
        KeyringFile = Path.Combine(Folder, "key.gpg");
        Gpg("--batch", "--yes", "--output", KeyringFile, "--export", KeyUser);
        ArmoredKeyFile = Path.Combine(Folder, "key.asc");
        Gpg("--batch", "--yes", "--armor", "--output", ArmoredKeyFile, "--export", KeyUser);
    }

    public string Folder { get; }

    /// <summary>The tiny qcow2 template, as pulled templates must come out.</summary>
    public string Template { get; }

    public string TemplateSha256 { get; }

    public long VirtualSize { get; }

    /// <summary>Template + ".xz": what a repository serves.</summary>
    public string CompressedTemplate { get; }

    public string CompressedSha512 { get; }

    public string GnuPgHome { get; }

    public string KeyringFile { get; }

    public string ArmoredKeyFile { get; }

    /// <summary>Clearsigns <paramref name="input"/> into <paramref name="output"/> with the test key.</summary>
    public void ClearSign(string input, string output) =>
        Gpg("--batch", "--yes", "--local-user", KeyUser, "--clearsign", "--output", output, input);

    /// <summary>gpg with this fixture's GNUPGHOME; a failure fails the test with gpg's message.</summary>
    public string Gpg(params string[] arguments) => Run("gpg", arguments);

    public string Gpgv(params string[] arguments) => Run("gpgv", arguments);

    public static string Sha512(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA512.HashData(stream));
    }

    private string Run(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["GNUPGHOME"] = GnuPgHome;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error.Result}");
        return output;
    }

    public void Dispose()
    {
        try { Run("gpgconf", ["--kill", "all"]); }
        catch (InvalidOperationException) { }
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
    }
}
