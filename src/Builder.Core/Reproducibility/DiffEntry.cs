namespace Builder.Reproducibility;

public enum DiffKind { Added, Removed, Changed }

/// <summary>One thing that differs between A and B: a path of the file tree, or a field or package of a manifest.</summary>
/// <param name="Subject">"/etc/motd", "template.digest", "package curl (amd64)".</param>
/// <param name="Attributes">For a change: each attribute that differs, in a fixed order.</param>
/// <param name="Detail">For an addition or removal: what was added or removed, when there is more to say than the subject (a package's version).</param>
public sealed record DiffEntry(string Subject, DiffKind Kind, IReadOnlyList<AttributeChange> Attributes, string? Detail = null)
{
    /// <summary>"+ /added", "- /removed", "~ /etc/motd: content, size 6->12, mode 0644->0600".</summary>
    public string Text => Kind switch
    {
        DiffKind.Added => $"+ {Subject}{(Detail is null ? "" : " " + Detail)}",
        DiffKind.Removed => $"- {Subject}{(Detail is null ? "" : " " + Detail)}",
        _ => $"~ {Subject}: {string.Join(", ", Attributes.Select(a => a.Text))}",
    };

    public string KindName => Kind.ToString().ToLowerInvariant();
}

/// <summary>One attribute that differs, with its value in A and in B when a value says more than the name.</summary>
/// <param name="Name">"content", "size", "mode", "owner", "type", "target", "device", "mtime", "xattr user.x", or "" for a manifest field's value.</param>
public sealed record AttributeChange(string Name, string? A = null, string? B = null)
{
    /// <summary>"content", "mode 0644->0600", or just "a->b" for a value without a name.</summary>
    public string Text =>
        A is null && B is null ? Name : Name.Length == 0 ? $"{A ?? "none"}->{B ?? "none"}" : $"{Name} {A ?? "none"}->{B ?? "none"}";
}

/// <summary>Everything that differs, in order, and the counts for the summary line.</summary>
/// <param name="Compared">"images" or "manifests".</param>
public sealed record DiffResult(string Compared, IReadOnlyList<DiffEntry> Entries)
{
    public bool Identical => Entries.Count == 0;

    public int Count(DiffKind kind) => Entries.Count(e => e.Kind == kind);

    /// <summary>"identical", or "3 differences: 1 added, 1 removed, 1 changed".</summary>
    public string Summary => Identical
        ? $"identical {Compared}"
        : $"{Entries.Count} difference{(Entries.Count == 1 ? "" : "s")}: {Count(DiffKind.Added)} added, {Count(DiffKind.Removed)} removed, {Count(DiffKind.Changed)} changed";
}
