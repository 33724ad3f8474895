using Builder.Diagnostics;
using Builder.Steps;

namespace Builder.Recipes;

/// <summary>A loaded, valid recipe. Host paths are resolved against the recipe's folder.</summary>
/// <param name="File">The recipe's path as the user gave it; diagnostics and plans show this.</param>
/// <param name="Directory">The recipe's folder, absolute.</param>
/// <param name="Size">The disk's virtual size, when the recipe grows it.</param>
/// <param name="SourceDateEpoch">source-date-epoch: the recipe's own source date, in seconds since 1970-01-01 UTC.</param>
public sealed record Recipe(
    string Name,
    string File,
    string Directory,
    TemplateReference Template,
    DiskSize? Size,
    OutputSpec Output,
    IReadOnlyList<RecipeStep> Steps,
    Execution.BackendChoice? Backend = null,
    long? SourceDateEpoch = null);

/// <summary>The template as written in the recipe: a disk image (<paramref name="FullPath"/> set) or a template name.</summary>
public sealed record TemplateReference(string Written, string? FullPath, SourceSpan Span)
{
    public bool IsName => FullPath is null;
}

/// <summary>Where and how to write the image.</summary>
/// <param name="Path">Absolute path of the image.</param>
/// <param name="FormatGiven">The recipe names the format; otherwise it follows the file name.</param>
/// <param name="BackedByTemplate">output.backing: template: a thin qcow2 overlay on the shared template instead of a standalone image.</param>
/// <param name="RelativeBacking">output.backing-path: relative: the overlay names its template by a path relative to itself.</param>
/// <param name="Subformat">output.subformat as written (checked against <see cref="OutputFormatOptions"/>); null for the format's default.</param>
/// <param name="Compress">output.compress: a compressed qcow2.</param>
/// <param name="Sparsify">output.sparsify: trim every filesystem before the image is written, so freed blocks are not in it.</param>
/// <param name="TreeDigest">output.tree-digest: the manifest gets a digest of the whole file tree (every file is read once).</param>
/// <param name="Reproducible">output.reproducible: build noise is removed and the image sealed, so the same inputs give the same bytes.</param>
public sealed record OutputSpec(
    string Path, ImageFormat Format, bool FormatGiven, bool BackedByTemplate = false, bool RelativeBacking = false,
    string? Subformat = null, bool Compress = false, bool Sparsify = true, bool TreeDigest = false, bool Reproducible = false)
{
    /// <summary>The subformat written in <paramref name="format"/>: the recipe's applies only to the recipe's own format; else the format's default.</summary>
    public string? SubformatFor(ImageFormat format) =>
        (format == Format ? Subformat : null) ?? OutputFormatOptions.Of(format).DefaultSubformat;

    /// <summary>What qemu-img convert writes for this output in <paramref name="format"/> (which -o may have changed).</summary>
    public Images.ConvertTarget TargetFor(ImageFormat format) => OutputFormatOptions.Of(format).Target(SubformatFor(format), Compress);
}

/// <summary>One step as written, bound to its kind and options.</summary>
/// <param name="Index">Position in the recipe's steps list, from 0.</param>
/// <param name="Path">The YAML path of the step entry: ".steps[3]".</param>
/// <param name="Checkpoint">The recipe asks for a cached layer to end after this step.</param>
public sealed record RecipeStep(int Index, IStepKind Kind, object Options, SourceSpan Span, string Path, bool Checkpoint = false);

/// <summary>The virtual disk size a recipe asks for, and where it asks.</summary>
public sealed record DiskSize(long Bytes, SourceSpan Span);
