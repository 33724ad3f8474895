using Builder.Diagnostics;
using Builder.Recipes.Yaml;

namespace Builder.Steps;

/// <summary>Lets a step kind report a problem with one of its options, located at that option's YAML node.</summary>
public sealed class StepValidation(DiagnosticBag diagnostics, YamlNode optionsNode)
{
    public void Error(string option, string message, string? hint = null)
    {
        var node = optionsNode is MappingNode mapping ? mapping[option] ?? optionsNode : optionsNode;
        diagnostics.Error(DiagnosticCodes.InvalidValue, message, node.Span, node.Path, hint);
    }
}
