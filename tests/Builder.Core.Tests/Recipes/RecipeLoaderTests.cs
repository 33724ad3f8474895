using Builder.Diagnostics;
using Builder.Recipes;
using Builder.Steps.Accounts;
using Builder.Steps.Files;
using Builder.Tests.Support;
using Snapshooter.Xunit;

namespace Builder.Tests.Recipes;

public sealed class RecipeLoaderTests : IDisposable
{
    private readonly RecipeFolder folder = new();

    public void Dispose() => folder.Dispose();

    private string Render(RecipeLoadResult result, string yaml) =>
        DiagnosticRenderer.Render(result.Diagnostics, _ => yaml);

    [Fact]
    public void Loads_a_valid_recipe_with_defaults_and_short_forms()
    {
        folder.Write("files/app.conf", "x=1\n");
        var recipe = folder.Load("""
            template: base.qcow2
            steps:
              - mkdir: /srv/app
              - upload: { from: files/app.conf, to: /srv/app/app.conf, mode: "0640" }
              - edit: { path: /etc/motd, replace: '^old$', with: new }
            """);

        Assert.Equal("recipe", recipe.Name);
        Assert.Equal(Path.Combine(folder.Path, "out", "recipe.qcow2"), recipe.Output.Path);
        Assert.Equal(ImageFormat.Qcow2, recipe.Output.Format);
        Assert.Equal(["mkdir", "upload", "edit"], recipe.Steps.Select(s => s.Kind.Name));
        var mkdir = Assert.IsType<MkdirOptions>(recipe.Steps[0].Options);
        Assert.Equal("/srv/app", mkdir.Path.Value);
        var upload = Assert.IsType<UploadOptions>(recipe.Steps[1].Options);
        Assert.Equal(0x1A0, upload.Mode!.Value);
        Assert.Equal(Path.Combine(folder.Path, "files", "app.conf"), upload.From.FullPath);
        Assert.False(Assert.IsType<EditOptions>(recipe.Steps[2].Options).Optional);
    }

    [Fact]
    public void Takes_the_output_format_from_the_file_name_unless_given()
    {
        var raw = folder.Load("template: base.qcow2\noutput: { path: images/a.raw }\n");
        var given = folder.Load("template: base.qcow2\noutput: { path: images/a.img, format: qcow2 }\n");

        Assert.Equal(ImageFormat.Raw, raw.Output.Format);
        Assert.False(raw.Output.FormatGiven);
        Assert.Equal(ImageFormat.Qcow2, given.Output.Format);
        Assert.True(given.Output.FormatGiven);
    }

    [Fact]
    public void Rejects_unknown_step_with_location_and_suggestion()
    {
        const string yaml = "template: base.qcow2\nsteps:\n  - wrte: { path: /etc/motd, content: hi }\n";
        var result = folder.Parse(yaml);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.UnknownStep, error.Code);
        Assert.Equal((3, 5), (error.Span.Line, error.Span.Column));
        Assert.Equal(".steps[0]", error.Path);
        Assert.Equal("did you mean 'write'?", error.Hint);
        Render(result, yaml).MatchSnapshot();
    }

    [Fact]
    public void Reports_every_error_at_once_in_source_order()
    {
        const string yaml = """
            name: demo
            tempalte: base.qcow2
            size: big
            output: { path: out/demo.qcow2, format: vmdk2 }
            steps:
              - write: { path: etc/motd, content: hi, colour: blue }
              - chmod: { path: /srv, mode: "0999" }
              - upload: { from: files/missing.conf, to: /etc/x }
              - mkdir: [a, b]
              - password: { user: root, from-env: ROOT_PASSWORD }
              - password: { user: root, random: true }
              - hostname: -bad-
              - edit: { path: /etc/x, replace: '(unclosed', with: y }
              - write: { path: /a, content: b }
                mkdir: /c
              - delete
              - ssh-inject: { user: root, key: "not a key", key-file: k.pub }
            """;
        var result = folder.Parse(yaml);

        Assert.Null(result.Recipe);
        Assert.Equal(
            [
                "B011 .", "B010 .tempalte", "B030 .size", "B030 .output.format", "B030 .steps[0].write.path", "B010 .steps[0].write.colour",
                "B030 .steps[1].chmod.mode", "B031 .steps[2].upload.from", "B012 .steps[3].mkdir", "B040 .steps[5]",
                "B030 .steps[6].hostname", "B030 .steps[7].edit.replace", "B021 .steps[8]", "B011 .steps[9]",
                "B032 .steps[10].ssh-inject.key-file", "B031 .steps[10].ssh-inject.key-file",
            ],
            result.Diagnostics.Select(d => $"{d.Code} {d.Path}"));
        Render(result, yaml).MatchSnapshot();
    }

    [Fact]
    public void Rejects_two_passwords_for_one_user_pointing_at_both()
    {
        const string yaml = """
            template: base.qcow2
            steps:
              - password: { user: root, disabled: true }
              - write: { path: /etc/motd, content: hi }
              - password: { user: root, hash: "$6$salt$hash" }
            """;
        var result = folder.Parse(yaml);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.ConflictingSteps, error.Code);
        Assert.Equal(5, error.Span.Line);
        Assert.Contains("the password of user 'root' is set twice", error.Message);
        Assert.Contains("line 3", error.Hint);
    }

    [Fact]
    public void Rejects_unreadable_yaml_with_its_location()
    {
        const string yaml = "template: base.qcow2\nsteps:\n  - write: { path: /etc/motd, content: \"unterminated }\n";
        var result = folder.Parse(yaml);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.YamlSyntax, error.Code);
        Assert.True(error.Span.Line >= 3);
        Render(result, yaml).MatchSnapshot();
    }

    [Fact]
    public void Rejects_duplicate_keys()
    {
        var result = folder.Parse("template: base.qcow2\ntemplate: other.qcow2\n");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.DuplicateKey, error.Code);
        Assert.Equal((2, 1), (error.Span.Line, error.Span.Column));
    }

    [Fact]
    public void Rejects_a_missing_template_file()
    {
        var result = folder.Parse("template: nowhere.qcow2\n");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.MissingTemplate, error.Code);
        Assert.Equal(".template", error.Path);
    }

    [Theory]
    [InlineData("\"0644\"", 0x1A4)]
    [InlineData("0755", 0x1ED)]
    [InlineData("\"4755\"", 0x9ED)]
    [InlineData("\"0o600\"", 0x180)]
    public void Reads_octal_modes(string written, int expected)
    {
        var recipe = folder.Load($"template: base.qcow2\nsteps:\n  - chmod: {{ path: /x, mode: {written} }}\n");

        Assert.Equal(expected, Assert.IsType<ChmodOptions>(recipe.Steps[0].Options).Mode.Value);
    }

    [Theory]
    [InlineData("\"0888\"")]
    [InlineData("rwxr-xr-x")]
    [InlineData("\"17777\"")]
    [InlineData("[1]")]
    public void Rejects_bad_modes(string written)
    {
        var result = folder.Parse($"template: base.qcow2\nsteps:\n  - chmod: {{ path: /x, mode: {written} }}\n");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(".steps[0].chmod.mode", error.Path);
    }

    [Fact]
    public void Resolves_aliases_without_expanding_them()
    {
        var recipe = folder.Load("""
            template: base.qcow2
            steps:
              - write: &motd { path: /etc/motd, content: hi }
              - write: *motd
            """);

        Assert.Equal(recipe.Steps[0].Options, recipe.Steps[1].Options);
    }

    [Fact]
    public void Rejects_a_document_that_nests_too_deeply()
    {
        var yaml = "template: base.qcow2\nsteps: " + new string('[', 200) + new string(']', 200) + "\n";
        var result = folder.Parse(yaml);

        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.TooComplex);
    }

    [Fact]
    public void Random_password_without_save_to_is_valid_and_save_to_alone_is_not()
    {
        Assert.True(folder.Parse("template: base.qcow2\nsteps:\n  - password: { user: root, random: true }\n").Succeeded);
        var result = folder.Parse("template: base.qcow2\nsteps:\n  - password: { user: root, from-env: X, save-to: pw.txt }\n");

        Assert.Equal(".steps[0].password.save-to", Assert.Single(result.Diagnostics).Path);
    }

    [Fact]
    public void Password_options_record_names_every_source()
    {
        var shape = new PasswordStep().Options;

        Assert.Equal(["random", "from-env", "from-file", "hash", "locked", "disabled"], shape.ExactlyOneOf);
    }
}
