using Builder.Reproducibility;

namespace Builder.Cli.Commands.Verify;

/// <summary>
/// What `builder verify` found: the output sha256 of two builds (or of an earlier build and this
/// one), and when they differ, what differs and what might help.
/// </summary>
/// <param name="Recipe">The recipe's name.</param>
/// <param name="A">"sha256:HEX" of the first build, or of the earlier manifest's output (--against).</param>
/// <param name="B">"sha256:HEX" of the second build, or of this build (--against).</param>
/// <param name="Against">The earlier manifest (--against); null when the recipe was built twice.</param>
/// <param name="Differences">
/// What differs from A to B: the file trees (two builds) or the manifests (--against); null when
/// nothing was compared (the bytes are the same, or the trees could not be read).
/// </param>
/// <param name="SuggestSeal">The recipe does not ask for output.reproducible, which would seal the image.</param>
internal sealed record VerifyVerdict(string Recipe, string A, string B, string? Against, DiffResult? Differences, bool SuggestSeal)
{
    /// <summary>How many differences the text shows; the JSON holds them all.</summary>
    public const int Shown = 20;

    public bool Reproducible => A == B;

    /// <summary>"build 1", or the earlier manifest's path (--against).</summary>
    public string NameOfA => Against ?? "build 1";

    /// <summary>"build 2", or "this build" (--against).</summary>
    public string NameOfB => Against is null ? "build 2" : "this build";

    /// <summary>
    /// The differences worth reading first: paths whose content or metadata differ, then those
    /// whose only difference is their modification time (every folder a step touched has one), each
    /// group in path order; at most <see cref="Shown"/>.
    /// </summary>
    public IReadOnlyList<DiffEntry> First => Ordered().Take(Shown).ToList();

    /// <summary>How many differences <see cref="First"/> leaves out.</summary>
    public int More => Math.Max(0, (Differences?.Entries.Count ?? 0) - Shown);

    /// <summary>What to make of differing bytes beyond the list, when there is more to say; null otherwise.</summary>
    public string? Note => Reproducible ? null
        : Differences is null ? "the file trees could not be compared (see the errors above)"
        : Differences.Identical ? "the file trees are identical (type, content, mode, owner, mtime, xattrs): "
            + "the filesystems differ in layout or metadata (block allocation, inode numbers, times inside the filesystem), not in any file"
        : Differences.Entries is [{ Subject: "output-sha256" }] ? "the manifests differ only in the output's sha256: "
            + "same template, steps and packages, but not the same bytes"
        : null;

    /// <summary>The recipe option that would help, when the recipe does not use it.</summary>
    public string? Hint => !Reproducible && SuggestSeal
        ? "output.reproducible: true in the recipe removes build noise and seals the image, so the same inputs give the same bytes"
        : null;

    private IEnumerable<DiffEntry> Ordered()
    {
        var entries = Differences?.Entries ?? [];
        return entries.Where(e => !OnlyModificationTime(e)).Concat(entries.Where(OnlyModificationTime));
    }

    private static bool OnlyModificationTime(DiffEntry entry) =>
        entry is { Kind: DiffKind.Changed, Attributes.Count: > 0 } && entry.Attributes.All(a => a.Name == "mtime");
}
