using System.Text.Json.Serialization;

namespace Builder.Execution;

/// <summary>
/// What a build reports while it runs. The CLI renders these as progress lines, or as
/// JSON lines with <c>--json</c>; a library caller receives them through IProgress.
/// No event carries a secret in its JSON form or its ToString.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "event")]
[JsonDerivedType(typeof(BuildStarted), "build-started")]
[JsonDerivedType(typeof(PhaseStarted), "phase-started")]
[JsonDerivedType(typeof(PhaseCompleted), "phase-completed")]
[JsonDerivedType(typeof(LayerStarted), "layer-started")]
[JsonDerivedType(typeof(LayerCompleted), "layer-completed")]
[JsonDerivedType(typeof(StepStarted), "step-started")]
[JsonDerivedType(typeof(StepCompleted), "step-completed")]
[JsonDerivedType(typeof(StepOutput), "step-output")]
[JsonDerivedType(typeof(Notice), "notice")]
[JsonDerivedType(typeof(DownloadProgress), "download-progress")]
[JsonDerivedType(typeof(TraceLine), "trace")]
[JsonDerivedType(typeof(PasswordGenerated), "password-generated")]
[JsonDerivedType(typeof(BuildSucceeded), "build-succeeded")]
[JsonDerivedType(typeof(BuildFailed), "build-failed")]
public abstract record BuildEvent;

/// <summary>A build began: the recipe's name, how many steps, where the output goes, and which backend runs it and why.</summary>
public sealed record BuildStarted(string Recipe, int Steps, string Output, string Format, string Backend, string BackendReason) : BuildEvent;

/// <summary>A phase outside the steps began ("Launching appliance", "Emitting qcow2").</summary>
public sealed record PhaseStarted(string Phase, string Description) : BuildEvent;

public sealed record PhaseCompleted(string Phase, TimeSpan Elapsed) : BuildEvent;

/// <summary>
/// Layer <paramref name="Number"/> of <paramref name="Count"/> (steps <paramref name="FirstStep"/> to
/// <paramref name="LastStep"/>): taken from the cache ("hit"), or built ("miss", with the reason).
/// A hit is followed by no step events; a miss by its steps' events and <see cref="LayerCompleted"/>.
/// <paramref name="BuiltBy"/> names the recipe of the same run that built a shared layer, when not this one.
/// </summary>
public sealed record LayerStarted(int Number, int Count, string Id, int FirstStep, int LastStep, string Cache, string? Reason, string? BuiltBy = null) : BuildEvent;

/// <summary>A layer was built (and stored in the cache when <paramref name="Cached"/>).</summary>
public sealed record LayerCompleted(int Number, string Id, bool Cached, TimeSpan Elapsed) : BuildEvent;

/// <summary>Step <paramref name="Number"/> of <paramref name="Count"/> began; the description is a present-participle line.</summary>
public sealed record StepStarted(int Number, int Count, string Kind, string Description, string Id, string Source) : BuildEvent;

public sealed record StepCompleted(int Number, TimeSpan Elapsed) : BuildEvent;

/// <summary>A line a step's command printed in the guest (secret values already replaced by ***).</summary>
public sealed record StepOutput(int Number, string Line) : BuildEvent;

/// <summary>Something the user should know that is not an error (an accelerator fallback, an empty glob).</summary>
public sealed record Notice(string Message) : BuildEvent;

/// <summary>
/// Bytes of a download received so far (about once a second, and at the end); <paramref name="Total"/>
/// when the size is known. <paramref name="Uri"/> never carries credentials.
/// </summary>
public sealed record DownloadProgress(string Uri, long Bytes, long? Total) : BuildEvent;

/// <summary>A line of backend trace (libguestfs), only when tracing was asked for.</summary>
public sealed record TraceLine(string Source, string Text) : BuildEvent;

/// <summary>
/// A random password was generated and not saved to a file: the caller must show it to the
/// user once. It never appears in JSON or ToString.
/// </summary>
public sealed record PasswordGenerated(string User, [property: JsonIgnore] string Password) : BuildEvent
{
    public override string ToString() => $"PasswordGenerated {{ User = {User}, Password = (redacted) }}";
}

/// <summary>The output was published: format, sizes, and what trimming saved.</summary>
/// <param name="VirtualSize">The disk's size as the guest sees it.</param>
/// <param name="FileSize">The output file's length.</param>
/// <param name="AllocatedSize">The bytes the output takes on disk (qemu-img's actual size; less than the length for a sparse raw file).</param>
/// <param name="SavedByTrimming">Bytes of data that trimming the filesystems kept out of the image; null when output.sparsify is false.</param>
public sealed record BuildSucceeded(
    string Output, string Format, long VirtualSize, long FileSize, TimeSpan Elapsed, long AllocatedSize = 0, long? SavedByTrimming = null) : BuildEvent;

/// <summary>The build failed: why, and what to do (for a failed script, its last lines).</summary>
public sealed record BuildFailed(string Message, TimeSpan Elapsed, string? Hint = null) : BuildEvent;
