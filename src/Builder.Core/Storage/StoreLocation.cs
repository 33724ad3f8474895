namespace Builder.Storage;

/// <summary>Where this process keeps its store: templates, the accelerator probe's answer, caches.</summary>
public sealed record StoreLocation(string Root)
{
    /// <summary>--store when given, else BUILDER_STORE, else the XDG cache folder.</summary>
    public static StoreLocation Resolve(string? overridePath = null) => new(BuilderDirectories.Store(overridePath));
}
