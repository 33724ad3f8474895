namespace Builder.Tests.Cli;

/// <summary>`--allow-outside-inputs`: a recipe's host inputs stay in its folder unless the user says otherwise.</summary>
public sealed partial class CommandLineTests
{
    private string RecipeReadingOutsideItsFolder()
    {
        folder.Write("secret", "not for images\n");
        return folder.Write("recipes/web.yaml", "template: ../base.qcow2\nsteps:\n  - upload: { from: ../secret, to: /etc/secret }\n");
    }

    [Fact]
    public async Task Validate_exits_2_for_an_input_outside_the_recipes_folder_naming_the_flag()
    {
        var recipe = RecipeReadingOutsideItsFolder();

        var (code, output, error) = await Run("validate", recipe);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("web.yaml:3:21: error B033: '../secret' is outside the recipe's folder", error);
        Assert.Contains("at .steps[0].upload.from", error);
        Assert.Contains("or pass --allow-outside-inputs if you trust this recipe", error);
    }

    [Fact]
    public async Task Validate_and_plan_accept_it_with_allow_outside_inputs()
    {
        var recipe = RecipeReadingOutsideItsFolder();

        var validate = await Run("validate", recipe, "--allow-outside-inputs");
        var plan = await Run("plan", recipe, "--json", "--allow-outside-inputs");

        Assert.Equal((0, ""), (validate.Code, validate.Error));
        Assert.Contains("web.yaml: valid", validate.Output);
        Assert.Equal(0, plan.Code);
        Assert.Contains("\"../secret\"", plan.Output);
    }

    [Fact]
    public async Task Build_refuses_it_before_building_anything()
    {
        var recipe = RecipeReadingOutsideItsFolder();

        var (code, _, error) = await Run("build", recipe);

        Assert.Equal(2, code);
        Assert.Contains("error B033", error);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "recipes", "out")));
    }
}
