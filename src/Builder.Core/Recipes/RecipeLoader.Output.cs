using Builder.Diagnostics;
using Builder.Recipes.Yaml;

namespace Builder.Recipes;

// The recipe's output mapping: where the image goes, its format and subformat, compression, trimming, thin outputs.
public sealed partial class RecipeLoader
{
    private static readonly string[] OutputKeys = ["path", "format", "subformat", "compress", "sparsify", "tree-digest", "reproducible", "backing", "backing-path"];

    /// <summary>vmdk subformats qemu-img writes as more than one file: a descriptor and its extents.</summary>
    private static readonly string[] ManyFileVmdks = ["monolithicFlat", "twoGbMaxExtentSparse", "twoGbMaxExtentFlat"];

    private static OutputSpec? BindOutput(YamlNode? node, string name, string directory, DiagnosticBag diagnostics)
    {
        string? path = null;
        ImageFormat? format = null;
        bool thin = false, relative = false, compress = false, sparsify = true, treeDigest = false, reproducible = false;
        if (node is MappingNode mapping)
        {
            thin = Choice(mapping["backing"], ["none", "template"], "backing", diagnostics) == "template";
            relative = Choice(mapping["backing-path"], ["absolute", "relative"], "backing paths", diagnostics) == "relative";
            if (mapping["backing-path"] is { } backingPath && !thin)
                diagnostics.Error(DiagnosticCodes.InvalidValue, "backing-path applies only to a thin output", backingPath.Span, backingPath.Path,
                    "add backing: template, or remove backing-path");
            foreach (var key in mapping.Entries.Select(e => e.Key).Where(k => !OutputKeys.Contains(k.Value)))
                diagnostics.Error(DiagnosticCodes.UnknownKey, $"unknown output option '{key.Value}'", key.Span, key.Path,
                    Suggestions.Hint(key.Value, OutputKeys, "output options"));
            if (mapping["path"] is { } pathNode && Scalar(pathNode, "a file path", diagnostics) is { } pathScalar)
            {
                if (!pathScalar.Value.Contains('\0')) path = pathScalar.Value;
                else diagnostics.Error(DiagnosticCodes.InvalidValue, "the output path contains a NUL character", pathNode.Span, pathNode.Path,
                    "write a file path relative to the recipe's folder, such as out/web.qcow2");
            }
            compress = Flag(mapping["compress"], diagnostics) ?? false;
            sparsify = Flag(mapping["sparsify"], diagnostics) ?? true;
            treeDigest = Flag(mapping["tree-digest"], diagnostics) ?? false;
            reproducible = Flag(mapping["reproducible"], diagnostics) ?? false;
            if (mapping["format"] is { } formatNode && Scalar(formatNode, "an image format", diagnostics) is { } formatScalar)
            {
                format = ImageFormats.Parse(formatScalar.Value);
                if (format is null)
                {
                    diagnostics.Error(DiagnosticCodes.InvalidValue, $"'{formatScalar.Value}' is not a supported output format",
                        formatNode.Span, formatNode.Path, Suggestions.Hint(formatScalar.Value, ImageFormats.Names, "formats"));
                    return null;
                }
            }
        }
        else if (node is not null and not ScalarNode { IsNull: true })
        {
            diagnostics.Error(DiagnosticCodes.WrongType, $"output must be a mapping, found {node.KindName}", node.Span, node.Path,
                "write output: { path: out/web.qcow2, format: qcow2 }");
            return null;
        }

        var chosen = format ?? (path is null ? ImageFormat.Qcow2 : ImageFormats.FromExtension(path));
        string? subformat = null;
        if (node is MappingNode output)
        {
            if (thin && chosen != ImageFormat.Qcow2)
                diagnostics.Error(DiagnosticCodes.InvalidValue, $"a thin output (backing: template) is a qcow2 overlay, not {chosen.Name()}",
                    output["backing"]!.Span, output["backing"]!.Path, "write format: qcow2 and a .qcow2 path, or remove backing");
            subformat = BindSubformat(output["subformat"], chosen, diagnostics);
            if (compress) CheckCompression(output["compress"]!, chosen, thin, diagnostics);
            if (reproducible) CheckReproducible(output["reproducible"]!, chosen, thin, diagnostics);
        }
        path ??= Path.Combine("out", $"{name}.{OutputFormatOptions.Of(chosen).Extension}");
        return new OutputSpec(Path.GetFullPath(Path.Combine(directory, path)), chosen, format is not null, thin, relative, subformat, compress, sparsify, treeDigest, reproducible);
    }

    /// <summary>output.subformat, when the format has it and knows the value.</summary>
    private static string? BindSubformat(YamlNode? node, ImageFormat format, DiagnosticBag diagnostics)
    {
        if (node is null || Scalar(node, "a subformat name", diagnostics) is not { } scalar) return null;
        var options = OutputFormatOptions.Of(format);
        if (options.Subformats.Contains(scalar.Value)) return scalar.Value;
        if (options.Subformats.Count == 0)
        {
            var withSubformats = OutputFormatOptions.All.Where(o => o.Subformats.Count > 0)
                .Select(o => $"{o.Format.Name()} ({string.Join(", ", o.Subformats)})");
            diagnostics.Error(DiagnosticCodes.InvalidValue, $"a {format.Name()} image has no subformat", node.Span, node.Path,
                $"remove subformat; only {string.Join(", ", withSubformats)} have one");
            return null;
        }
        var hint = format == ImageFormat.Vmdk && ManyFileVmdks.Contains(scalar.Value, StringComparer.OrdinalIgnoreCase)
            ? $"{scalar.Value} writes the disk as more than one file; use streamOptimized (vSphere, OVA) or monolithicSparse"
            : Suggestions.Hint(scalar.Value, options.Subformats, $"{format.Name()} subformats");
        diagnostics.Error(DiagnosticCodes.InvalidValue, $"'{scalar.Value}' is not a supported {format.Name()} subformat", node.Span, node.Path, hint);
        return null;
    }

    /// <summary>output.compress: true is for standalone qcow2 images only.</summary>
    private static void CheckCompression(YamlNode node, ImageFormat format, bool thin, DiagnosticBag diagnostics)
    {
        if (thin)
        {
            diagnostics.Error(DiagnosticCodes.InvalidValue, "a thin output (backing: template) cannot be compressed", node.Span, node.Path,
                "remove compress, or remove backing for a standalone compressed qcow2");
            return;
        }
        if (OutputFormatOptions.Of(format).Compressible) return;
        var hint = format switch
        {
            ImageFormat.Vmdk => "a streamOptimized vmdk (the default subformat) is always compressed; remove compress",
            ImageFormat.Raw => "a raw image is the disk's bytes as they are; remove compress, or write format: qcow2",
            _ => $"qemu-img does not compress {format.Name()}; remove compress, or write format: qcow2",
        };
        diagnostics.Error(DiagnosticCodes.InvalidValue, $"compress applies only to qcow2, not {format.Name()}", node.Span, node.Path, hint);
    }

    /// <summary>output.reproducible: true is for standalone qcow2 and raw images: the seal makes a new disk, and other formats carry random ids.</summary>
    private static void CheckReproducible(YamlNode node, ImageFormat format, bool thin, DiagnosticBag diagnostics)
    {
        if (thin)
            diagnostics.Error(DiagnosticCodes.InvalidValue, "a thin output (backing: template) cannot be reproducible", node.Span, node.Path,
                "remove backing: the seal writes every filesystem anew, so an overlay on the template would hold the whole disk anyway");
        else if (OutputFormatOptions.Of(format).Unreproducible is { } reason)
            diagnostics.Error(DiagnosticCodes.InvalidValue, $"a {format.Name()} image cannot be reproducible: qemu-img writes {reason}", node.Span, node.Path,
                "write format: qcow2 or format: raw, and convert the reproducible image afterwards if you need another format");
    }

    private static bool? Flag(YamlNode? node, DiagnosticBag diagnostics)
    {
        if (node is null || Scalar(node, "true or false", diagnostics) is not { } scalar) return null;
        if (scalar.IsPlain && scalar.Value is "true" or "True" or "TRUE") return true;
        if (scalar.IsPlain && scalar.Value is "false" or "False" or "FALSE") return false;
        diagnostics.Error(DiagnosticCodes.InvalidValue, $"expected true or false, found '{scalar.Value}'", node.Span, node.Path,
            "write true or false without quotes");
        return null;
    }
}
