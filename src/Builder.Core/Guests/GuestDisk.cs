namespace Builder.Guests;

/// <summary>A disk image to open read-write in a guest session (the build's overlay).</summary>
public sealed record GuestDisk(string Path, string Format);
