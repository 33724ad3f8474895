namespace Builder.Guests;

/// <summary>One thing sparsifying did or could not do: "trimmed / (/dev/sda1)", "could not trim /boot: …".</summary>
/// <param name="Done">False when the filesystem or disk could not do it and was left as it was.</param>
public sealed record SparsifyOutcome(string Text, bool Done);
