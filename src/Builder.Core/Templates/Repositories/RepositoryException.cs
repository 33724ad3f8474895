using Builder.Diagnostics;

namespace Builder.Templates.Repositories;

/// <summary>
/// Why a repository could not be read, or a template pulled or published. Made by the named
/// factories below; the message names the URI (never its credentials), the hint says what to do.
/// </summary>
public sealed class RepositoryException : Exception
{
    private readonly string? sourceText;

    private RepositoryException(string message, string? hint = null, bool invalidInput = false,
        IReadOnlyList<Diagnostic>? diagnostics = null, string? sourceText = null, Exception? inner = null)
        : base(message, inner)
    {
        Hint = hint;
        InvalidInput = invalidInput;
        Diagnostics = diagnostics ?? [];
        this.sourceText = sourceText;
    }

    public string? Hint { get; }

    /// <summary>The user's input (a --source, a repos.d file) is wrong, rather than a repository or the network.</summary>
    public bool InvalidInput { get; }

    /// <summary>The located problems of an index or a repos.d file, when that is what failed.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>The diagnostics, compiler-style, with the offending lines.</summary>
    public string RenderDiagnostics() =>
        DiagnosticRenderer.Render(Diagnostics, file => sourceText ?? (File.Exists(file) ? File.ReadAllText(file) : null));

    public static RepositoryException InvalidConfiguration(IReadOnlyList<Diagnostic> diagnostics) =>
        new("the repository configuration (repos.d) has errors", null, invalidInput: true, diagnostics);

    public static RepositoryException InvalidSource(string given) =>
        new($"--source {given} is not a file://, http:// or https:// URI", "for example --source https://example.org/builder/index.asc", invalidInput: true);

    public static RepositoryException InvalidIndex(string display, IReadOnlyList<Diagnostic> diagnostics, string text) =>
        new($"the index {display} is not valid", null, false, diagnostics, text);

    public static RepositoryException NotUtf8(string display) => new($"the index {display} is not UTF-8 text");

    public static RepositoryException TooLarge(string display, long limit) =>
        new($"the index {display} is larger than {limit / (1 << 20)} MiB; it is not an index");

    public static RepositoryException Unsigned(string display) =>
        new($"the index {display} is not signed, so it cannot be trusted",
            "publish a clearsigned index.asc and set gpgkey= for it in repos.d, or pass --no-check-signature to accept it (insecure)");

    public static RepositoryException NoKey(string source, string display) =>
        new($"the index {display} is signed, but no key is configured for {source} to check it with",
            "add the repository to a repos.d .conf file with uri= and gpgkey=file:///path/to/key, or pass --no-check-signature (insecure)");

    public static RepositoryException BadSignature(string display, string detail) =>
        new($"the signature of the index {display} does not verify: {detail}",
            "the index was changed after it was signed, or signed with another key than the configured gpgkey=");

    public static RepositoryException MissingKey(string keyFile) =>
        new($"the key file {keyFile} (gpgkey=) cannot be read", "check the gpgkey= path in repos.d", invalidInput: true);

    public static RepositoryException ToolFailed(string program, string what, string detail) =>
        new($"{program} failed {what}: {detail}");

    public static RepositoryException NotFound(string display, string detail) => new($"{display} was not found ({detail})");

    public static RepositoryException DownloadFailed(string display, int attempts, Exception inner) =>
        new($"downloading {display} failed after {attempts} attempt{(attempts == 1 ? "" : "s")}: {inner.Message}",
            "check the network and the repository's URI; run the command again to retry", inner: inner);

    public static RepositoryException NoChecksum(string name, string display) =>
        new($"the index {display} gives no checksum[sha512] for {name}, so the download cannot be verified",
            "pass --no-check-checksum to accept it unverified (insecure)");

    public static RepositoryException ChecksumMismatch(string display, string expected, string actual) =>
        new($"the sha512 checksum of {display} does not match the index: expected {expected}, got {actual}",
            "the file was corrupted or tampered with; nothing was stored. Retry, or tell the repository's owner");

    public static RepositoryException FormatMismatch(string name, string declared, string actual) =>
        new($"the template {name} is a {actual} image, but the index says format={declared}; nothing was stored");

    public static RepositoryException HasBackingFile(string name, string backing) =>
        new($"the template {name} refers to a file outside itself ({backing}); templates must be standalone images; nothing was stored");

    public static RepositoryException BadTemplateName(string osVersion) =>
        new($"'{osVersion}' cannot be a template name",
            "template names use lower-case letters, digits, '.', '_' and '-'; ask the repository's owner to rename the entry");

    public static RepositoryException UnsafeFile(string name, string file, string problem) =>
        new($"the index entry {name} has file={file}, which {problem}; it is not downloaded");

    public static RepositoryException UnverifiedEntry(string name, string display) =>
        new($"{name} comes from the index {display}, whose signature was not checked",
            "read the index with signature checking, or pass --no-check-signature (insecure)");

    public static RepositoryException LocalFailure(string what, Exception inner) =>
        new($"{what} failed: {inner.Message}", "check the free space and permissions of the store or folder", inner: inner);

    public static RepositoryException NothingToPublish(string store) =>
        new($"the template store {store} has no templates to publish", "pull or build templates into it first, or pass --store");
}
