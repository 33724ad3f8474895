using Builder.Diagnostics;
using Builder.Recipes.Yaml;
using Builder.Steps;
using Builder.Steps.Options;

namespace Builder.Recipes;

/// <summary>Reads the steps list: each entry is `- kind: options`, bound and checked by its kind.</summary>
internal sealed class StepsReader(StepRegistry registry, BindContext context)
{
    private readonly DiagnosticBag diagnostics = context.Diagnostics;

    public IReadOnlyList<RecipeStep>? Read(YamlNode? node)
    {
        if (node is null or ScalarNode { IsNull: true }) return [];
        if (node is not SequenceNode sequence)
        {
            diagnostics.Error(DiagnosticCodes.WrongType, $"steps must be a list, found {node.KindName}", node.Span, node.Path,
                "write each step on its own line starting with '- '");
            return null;
        }

        var steps = new List<RecipeStep>();
        var failed = false;
        for (var index = 0; index < sequence.Items.Count; index++)
        {
            var step = ReadStep(sequence.Items[index], index);
            if (step is null) failed = true;
            else steps.Add(step);
        }
        CheckConflicts(steps);
        return failed ? null : steps;
    }

    /// <summary>Keys a step entry may have beside its kind: `- install: [...]` then `  checkpoint: true`.</summary>
    private const string CheckpointKey = "checkpoint";

    private RecipeStep? ReadStep(YamlNode entry, int index)
    {
        var checkpoint = false;
        if (entry is MappingNode { Entries.Count: 2 } withMeta && withMeta[CheckpointKey] is { } meta)
        {
            checkpoint = new BoolOptionType().Bind(meta, context) is true;
            var kindEntry = withMeta.Entries.First(e => e.Key.Value != CheckpointKey);
            entry = withMeta with { Entries = [kindEntry] };
        }
        var (kindKey, options) = entry switch
        {
            MappingNode { Entries.Count: 1 } single => (single.Entries[0].Key, single.Entries[0].Value),
            ScalarNode { IsNull: false } bare => (bare, new ScalarNode("", true, bare.Span, bare.Path)),
            _ => (null, null),
        };
        if (kindKey is null || options is null)
        {
            ReportShape(entry);
            return null;
        }

        var kind = registry.Find(kindKey.Value);
        if (kind is null)
        {
            diagnostics.Error(DiagnosticCodes.UnknownStep, $"unknown step kind '{kindKey.Value}'", kindKey.Span, entry.Path,
                Suggestions.Hint(kindKey.Value, registry.Kinds.Select(k => k.Name), "steps"));
            return null;
        }

        var before = diagnostics.Count;
        var bound = OptionsBinder.Bind(kind.Name, kind.Options, options, entry, context);
        if (bound is null) return null;
        kind.Validate(bound, new StepValidation(diagnostics, options));
        return diagnostics.Skip(before).Any(d => d.IsError) ? null : new RecipeStep(index, kind, bound, kindKey.Span, entry.Path, checkpoint);
    }

    private void ReportShape(YamlNode entry)
    {
        if (entry is MappingNode { Entries.Count: > 1 } several)
        {
            var names = several.Entries.Select(e => $"'{e.Key.Value}'").ToList();
            diagnostics.Error(DiagnosticCodes.BadStepShape, $"a step has exactly one kind, but this one has {string.Join(" and ", names)}",
                several.Entries[1].Key.Span, entry.Path,
                "start each step with its own '- '; options go in the kind's mapping: - write: { path: …, content: … } (only 'checkpoint: true' may stand beside the kind)");
            return;
        }
        diagnostics.Error(DiagnosticCodes.BadStepShape, $"a step is a mapping from its kind to its options, found {entry.KindName}",
            entry.Span, entry.Path, "for example: - write: { path: /etc/motd, content: \"hello\\n\" }");
    }

    private void CheckConflicts(List<RecipeStep> steps)
    {
        var first = new Dictionary<string, RecipeStep>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            if (step.Kind.ConflictKey(step.Options) is not { } key) continue;
            if (first.TryGetValue(key, out var earlier))
                diagnostics.Error(DiagnosticCodes.ConflictingSteps,
                    $"{key} is set twice", step.Span, step.Path,
                    $"it is already set by the {earlier.Kind.Name} step at line {earlier.Span.Line}; keep one");
            else
                first[key] = step;
        }
    }
}
