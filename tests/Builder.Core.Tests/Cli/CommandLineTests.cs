using System.Text.Json.Nodes;
using Builder.Tests.Support;

namespace Builder.Tests.Cli;

/// <summary>The commands that touch no image, run in-process with their real services.</summary>
public sealed partial class CommandLineTests : IDisposable
{
    private readonly InProcessCli cli = new();

    private RecipeFolder folder => cli.Folder;

    public void Dispose() => cli.Dispose();

    private Task<(int Code, string Output, string Error)> Run(params string[] args) => cli.Run(args);

    [Fact]
    public async Task Validate_exits_0_for_a_valid_recipe()
    {
        var recipe = folder.Write("ok.yaml", "template: base.qcow2\nsteps:\n  - hostname: web1\n");

        var (code, output, _) = await Run("validate", recipe);

        Assert.Equal(0, code);
        Assert.Contains("ok.yaml: valid", output);
    }

    [Fact]
    public async Task Validate_exits_2_and_prints_located_errors_for_an_invalid_recipe()
    {
        var recipe = folder.Write("bad.yaml", "template: base.qcow2\nsteps:\n  - hostnme: web1\n");

        var (code, _, error) = await Run("validate", recipe);

        Assert.Equal(2, code);
        Assert.Contains("bad.yaml:3:5: error B020: unknown step kind 'hostnme'", error);
        Assert.Contains("hint: did you mean 'hostname'?", error);
    }

    [Fact]
    public async Task Validate_checks_every_recipe_in_a_folder()
    {
        folder.Write("recipes/a.yaml", "template: ../base.qcow2\n");
        folder.Write("recipes/b.yml", "template: ../missing.qcow2\n");

        var (code, output, error) = await Run("validate", Path.Combine(folder.Path, "recipes"));

        Assert.Equal(2, code);
        Assert.Contains("a.yaml: valid", output);
        Assert.Contains("b.yml:1:11: error B050", error);
    }

    [Fact]
    public async Task Unknown_commands_and_options_are_usage_errors_with_exit_2()
    {
        Assert.Equal(2, (await Run("bulid", "x.yaml")).Code);
        Assert.Equal(2, (await Run("build", "x.yaml", "--accel", "warp")).Code);
        Assert.Equal(2, (await Run("plan")).Code);
    }

    [Fact]
    public async Task Plan_json_lists_steps_in_execution_order_with_ids()
    {
        var recipe = folder.Write("web.yaml",
            "template: base.qcow2\nsteps:\n  - password: { user: root, disabled: true }\n  - write: { path: /etc/motd, content: hi }\n");

        var (code, output, _) = await Run("plan", recipe, "--json");

        Assert.Equal(0, code);
        var plan = JsonNode.Parse(output)!;
        Assert.StartsWith("sha256:", (string)plan["template"]!["digest"]!);
        var steps = plan["steps"]!.AsArray();
        Assert.Equal(["write", "password"], steps.Select(s => (string)s!["kind"]!));
        Assert.All(steps, s => Assert.Matches("^[0-9a-f]{64}$", (string)s!["id"]!));
    }

    [Fact]
    public async Task Schema_prints_the_committed_schema()
    {
        var (code, output, _) = await Run("schema");

        Assert.Equal(0, code);
        Assert.Equal(File.ReadAllText(Repository.PathOf("schemas/recipe.schema.json")), output);
    }

    [Fact]
    public async Task Steps_lists_every_kind()
    {
        var (code, output, _) = await Run("steps");

        Assert.Equal(0, code);
        Assert.All(Builder.Steps.StepRegistry.BuiltIn.Kinds, k => Assert.Contains(k.Name, output));
    }

    [Fact]
    public async Task Build_of_an_invalid_recipe_exits_2_before_touching_anything()
    {
        var recipe = folder.Write("bad.yaml", "template: base.qcow2\nsteps:\n  - write: { path: relative, content: x }\n");

        var (code, _, error) = await Run("build", recipe);

        Assert.Equal(2, code);
        Assert.Contains("is not a valid guest path", error);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "out")));
    }

    [Fact]
    public async Task Build_with_an_unset_secret_exits_2_naming_the_variable()
    {
        var recipe = folder.Write("pw.yaml", "template: base.qcow2\nsteps:\n  - password: { user: root, from-env: BUILDER_TEST_UNSET_VARIABLE }\n");

        var (code, _, error) = await Run("build", recipe);

        Assert.Equal(2, code);
        Assert.Contains("pw.yaml:3:5: error B041: the environment variable BUILDER_TEST_UNSET_VARIABLE is not set", error);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "out")));
    }
}
