using Builder.Diagnostics;
using Builder.Recipes;
using Builder.Recipes.Yaml;
using Builder.Tests.Support;

namespace Builder.Tests.Recipes;

/// <summary>Hostile YAML: what the recipe fuzzer found and the limits on a recipe, each a located diagnostic, one test per fix.</summary>
public sealed class HostileYamlTests : IDisposable
{
    private readonly RecipeFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static void AssertAt(Diagnostic error, string code, int line, int column, string path)
    {
        Assert.Equal(code, error.Code);
        Assert.Equal(("recipe.yaml", line, column, path), (error.Span.File, error.Span.Line, error.Span.Column, error.Path));
        Assert.NotNull(error.Hint);
    }

    [Fact]
    public void An_unterminated_flow_mapping_the_yaml_library_throws_on_is_a_located_syntax_error()
    {
        // YamlDotNet's scanner throws InvalidOperationException here, not a YamlException.
        var result = folder.Parse("template: { unterminated\nunknown:\n  x: 1\n");

        // Reported where the scanner stopped: the block key it could not fit into the open flow mapping.
        AssertAt(Assert.Single(result.Diagnostics), DiagnosticCodes.YamlSyntax, 2, 1, ".");
    }

    [Fact]
    public void Ten_thousand_nested_brackets_stop_at_the_depth_limit_without_recursing()
    {
        var result = folder.Parse("template: base.qcow2\nsteps: " + new string('[', 10_000) + new string(']', 10_000) + "\n");

        var error = Assert.Single(result.Diagnostics);
        AssertAt(error, DiagnosticCodes.TooComplex, 2, 8 + YamlDocumentReader.MaxDepth, ".steps" + string.Concat(Enumerable.Repeat("[0]", YamlDocumentReader.MaxDepth)));
        Assert.Contains("more than 64 levels deep", error.Message);
    }

    [Fact]
    public void A_billion_laughs_alias_bomb_is_refused_when_its_expansion_passes_the_node_limit()
    {
        var yaml = "template: base.qcow2\nlaughs:\n  - &l0 lol\n"
            + string.Concat(Enumerable.Range(1, 9).Select(i => $"  - &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))}]\n"))
            + "steps:\n  - install: *l9\n";

        var result = folder.Parse(yaml);

        var error = Assert.Single(result.Diagnostics);
        // Level 5 is the first whose expansion (10^5 strings) passes 100,000 values: at its eighth alias of level 4, with what came before.
        AssertAt(error, DiagnosticCodes.TooComplex, 8, 45, ".laughs[5][7]");
        Assert.Contains("aliases expand to more than 100000 values", error.Message);
    }

    [Fact]
    public void Aliases_that_nest_past_the_depth_limit_are_refused()
    {
        var deep = new string('[', 40) + new string(']', 40);
        var result = folder.Parse($"template: base.qcow2\na: &a {deep}\nb: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[*a]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.TooComplex, error.Code);
        Assert.Equal(3, error.Span.Line);
        Assert.Contains("aliases nest more than 64 levels deep", error.Message);
    }

    [Fact]
    public void A_root_list_has_paths_from_the_root()
    {
        var result = folder.Parse("- { template: base.qcow2, template: base.qcow2 }\n");

        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.DuplicateKey && d.Path == ".[0].template");
    }

    [Fact]
    public void A_nul_character_in_a_template_path_is_an_invalid_value()
    {
        var result = folder.Parse("template: \"base.qcow2\\0../../etc/shadow\"\n");

        AssertAt(Assert.Single(result.Diagnostics), DiagnosticCodes.InvalidValue, 1, 11, ".template");
    }

    [Fact]
    public void A_nul_character_in_an_output_path_is_an_invalid_value()
    {
        var result = folder.Parse("template: base.qcow2\noutput: { path: \"out/web\\0.qcow2\" }\n");

        AssertAt(Assert.Single(result.Diagnostics), DiagnosticCodes.InvalidValue, 2, 17, ".output.path");
    }

    [Fact]
    public void A_one_MiB_host_path_is_resolved_in_one_pass()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();

        var result = folder.Parse($"template: base.qcow2\nsteps:\n  - upload: {{ from: {string.Concat(Enumerable.Repeat("a/", 1 << 19))}f, to: /x }}\n");

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2), $"took {started.Elapsed}");
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.MissingFile, 3, 21, ".steps[0].upload.from"), (error.Code, error.Span.Line, error.Span.Column, error.Path));
    }

    [Fact]
    public void A_recipe_file_over_16_MiB_is_refused_before_it_is_read()
    {
        var path = folder.Write("huge.yaml", "template: base.qcow2\n# " + new string('x', 17 << 20) + "\n");

        var result = new RecipeLoader(Builder.Steps.StepRegistry.BuiltIn).Load(path);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.TooComplex, error.Code);
        Assert.Equal((path, 1, 1, "."), (error.Span.File, error.Span.Line, error.Span.Column, error.Path));
        Assert.Contains("more than a recipe may be (16 MiB)", error.Message);
        Assert.Null(result.SourceText);
    }
}
