using Builder.Diagnostics;
using Builder.Recipes;
using Builder.Steps;
using Builder.Steps.Files;
using Builder.Tests.Support;

namespace Builder.Tests.Recipes;

/// <summary>
/// Host inputs must lie in the recipe's folder, symlinks followed, unless the recipe is loaded
/// with AllowOutsideInputs (`--allow-outside-inputs`): a recipe from elsewhere cannot read
/// ../../etc/shadow into an image.
/// </summary>
public sealed class OutsideInputTests : IDisposable
{
    private readonly RecipeFolder folder = new();
    private readonly RecipeFolder outside = new();

    public OutsideInputTests()
    {
        folder.Write("files/app.conf", "port=80\n");
        outside.Write("secret", "not for images\n");
        outside.Write("site/index.html", "<p>elsewhere</p>\n");
    }

    public void Dispose()
    {
        folder.Dispose();
        outside.Dispose();
    }

    private RecipeLoadResult Parse(string steps, bool allowOutside = false) =>
        new RecipeLoader(StepRegistry.BuiltIn).Parse($"template: base.qcow2\nsteps:\n{steps}", "recipe.yaml", folder.Path,
            new RecipeLoadOptions(AllowOutsideInputs: allowOutside));

    private static Diagnostic AssertRefused(RecipeLoadResult result, string path)
    {
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.OutsideInput, error.Code);
        Assert.Equal(("recipe.yaml", 3), (error.Span.File, error.Span.Line));
        Assert.Equal(path, error.Path);
        Assert.Contains("is outside the recipe's folder", error.Message);
        Assert.Contains("--allow-outside-inputs", error.Hint);
        return error;
    }

    [Fact]
    public void A_relative_path_that_climbs_out_of_the_folder_is_refused_with_its_location()
    {
        var result = Parse("  - upload: { from: ../../etc/shadow, to: /etc/shadow }\n");

        var error = AssertRefused(result, ".steps[0].upload.from");
        Assert.Equal(21, error.Span.Column);
        Assert.Equal("'../../etc/shadow' is outside the recipe's folder", error.Message);
    }

    [Fact]
    public void An_absolute_path_outside_the_folder_is_refused()
    {
        var result = Parse($"  - upload: {{ from: {outside.Path}/secret, to: /x }}\n");

        AssertRefused(result, ".steps[0].upload.from");
    }

    [Fact]
    public void An_absolute_path_inside_the_folder_is_fine()
    {
        Assert.True(Parse($"  - upload: {{ from: {folder.Path}/files/app.conf, to: /x }}\n").Succeeded);
    }

    [Fact]
    public void A_symlink_in_the_folder_that_points_outside_is_refused_naming_where_it_leads()
    {
        File.CreateSymbolicLink(Path.Combine(folder.Path, "files", "innocent.conf"), Path.Combine(outside.Path, "secret"));

        var result = Parse("  - upload: { from: files/innocent.conf, to: /x }\n");

        var error = AssertRefused(result, ".steps[0].upload.from");
        Assert.Contains($"(it leads to {Path.Combine(outside.Path, "secret")})", error.Message);
    }

    [Fact]
    public void A_symlinked_parent_folder_that_points_outside_is_refused()
    {
        Directory.CreateSymbolicLink(Path.Combine(folder.Path, "shared"), outside.Path);

        var result = Parse("  - upload: { from: shared/secret, to: /x }\n");

        AssertRefused(result, ".steps[0].upload.from");
    }

    [Fact]
    public void A_relative_symlink_that_stays_in_the_folder_is_fine()
    {
        Directory.CreateSymbolicLink(Path.Combine(folder.Path, "alias"), "files");
        File.CreateSymbolicLink(Path.Combine(folder.Path, "files", "current.conf"), "../alias/app.conf");

        Assert.True(Parse("  - upload: { from: files/current.conf, to: /x }\n").Succeeded);
    }

    [Fact]
    public void A_recipe_in_a_symlinked_folder_may_use_the_files_beside_it()
    {
        var link = Path.Combine(outside.Path, "link-to-recipes");
        Directory.CreateSymbolicLink(link, folder.Path);
        var recipe = Path.Combine(link, "recipe.yaml");
        File.WriteAllText(recipe, "template: base.qcow2\nsteps:\n  - upload: { from: files/app.conf, to: /x }\n");

        var result = new RecipeLoader(StepRegistry.BuiltIn).Load(recipe);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
    }

    [Theory]
    [InlineData("  - password: { user: root, from-file: ../OUTSIDE/secret }\n", ".steps[0].password.from-file")]
    [InlineData("  - ssh-inject: { user: root, key-file: ../OUTSIDE/secret }\n", ".steps[0].ssh-inject.key-file")]
    [InlineData("  - script: { file: ../OUTSIDE/secret }\n", ".steps[0].script.file")]
    [InlineData("  - script: { content: x, env: { TOKEN: { from-file: ../OUTSIDE/secret } } }\n", ".steps[0].script.env.TOKEN.from-file")]
    [InlineData("  - copy-in: { from: ../OUTSIDE/site, to: /srv }\n", ".steps[0].copy-in.from")]
    public void Every_kind_of_host_input_is_held_to_the_folder(string step, string path)
    {
        var result = Parse(step.Replace("OUTSIDE", Path.GetFileName(outside.Path)));

        AssertRefused(result, path);
    }

    [Theory]
    [InlineData("  - upload: { from: ../OUTSIDE/secret, to: /x }\n")]
    [InlineData("  - upload: { from: ABSOLUTE/secret, to: /x }\n")]
    [InlineData("  - upload: { from: link/secret, to: /x }\n")]
    [InlineData("  - password: { user: root, from-file: ../OUTSIDE/secret }\n")]
    [InlineData("  - copy-in: { from: ../OUTSIDE/site, to: /srv }\n")]
    public void The_allow_outside_inputs_option_lets_them_in(string step)
    {
        Directory.CreateSymbolicLink(Path.Combine(folder.Path, "link"), outside.Path);
        step = step.Replace("OUTSIDE", Path.GetFileName(outside.Path)).Replace("ABSOLUTE", outside.Path);

        Assert.Equal(DiagnosticCodes.OutsideInput, Assert.Single(Parse(step).Diagnostics).Code);
        var allowed = Parse(step, allowOutside: true);
        Assert.True(allowed.Succeeded, string.Join("\n", allowed.Diagnostics));
    }

    [Fact]
    public void Outputs_and_templates_may_lie_outside_the_folder()
    {
        outside.Write("shared.qcow2", "a shared template");
        var result = new RecipeLoader(StepRegistry.BuiltIn).Parse(
            $"template: ../{Path.GetFileName(outside.Path)}/shared.qcow2\noutput: {{ path: ../out/web.qcow2 }}\n" +
            "steps:\n  - password: { user: root, random: true, save-to: ../out/root-password }\n",
            "recipe.yaml", folder.Path);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public void The_bound_upload_keeps_the_path_as_written()
    {
        var upload = Assert.IsType<UploadOptions>(Parse("  - upload: { from: files/app.conf, to: /x }\n").Recipe!.Steps[0].Options);

        Assert.Equal(("files/app.conf", Path.Combine(folder.Path, "files", "app.conf")), (upload.From.Path, upload.From.FullPath));
    }
}
