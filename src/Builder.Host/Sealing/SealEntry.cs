namespace Builder.Host.Sealing;

/// <summary>One entry of a filesystem's tree as the seal found it: its path from the filesystem's root, and its times in whole seconds.</summary>
internal sealed record SealEntry(string Path, long Modified, long Accessed, long Changed);
