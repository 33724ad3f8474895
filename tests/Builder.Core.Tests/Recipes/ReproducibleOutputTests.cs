using Builder.Diagnostics;
using Builder.Planning;
using Builder.Steps.Accounts;
using Builder.Tests.Support;

namespace Builder.Tests.Recipes;

/// <summary>output.reproducible: what the loader accepts, what the plan does with it, and the password salt it relies on.</summary>
public sealed class ReproducibleOutputTests : IDisposable
{
    private readonly RecipeFolder folder = new();
    private readonly Planner planner = new(new FileDigests());

    public void Dispose() => folder.Dispose();

    private const string Steps = "steps:\n  - write: { path: /etc/motd, content: hi }\n";

    [Fact]
    public void A_reproducible_output_removes_build_noise_in_a_finish_of_its_own()
    {
        var sealedPlan = planner.Plan(folder.Load("template: base.qcow2\noutput: { path: out/a.qcow2, reproducible: true }\n" + Steps));
        var plainPlan = planner.Plan(folder.Load("template: base.qcow2\noutput: { path: out/a.qcow2 }\n" + Steps));

        Assert.True(sealedPlan.Recipe.Output.Reproducible);
        Assert.True(sealedPlan.Finish!.RemoveBuildNoise);
        Assert.False(plainPlan.Finish!.RemoveBuildNoise);
        Assert.NotEqual(plainPlan.Finish.Id, sealedPlan.Finish.Id);
        Assert.Equal(plainPlan.Layers[^1].Id, sealedPlan.Layers[^1].Id);
        var json = PlanJson.ToJson(sealedPlan);
        Assert.True((bool)json["output"]!["reproducible"]!);
        Assert.True((bool)json["finish"]!["remove-build-noise"]!);
        Assert.Null(PlanJson.ToJson(plainPlan)["finish"]!["remove-build-noise"]);
    }

    [Theory]
    [InlineData("out/a.vmdk", "random content id")]
    [InlineData("out/a.vhdx", "random GUIDs")]
    [InlineData("out/a.vhd", "creation time")]
    public void Formats_whose_files_qemu_img_makes_unique_cannot_be_reproducible(string path, string reason)
    {
        var result = folder.Parse($"template: base.qcow2\noutput: {{ path: {path}, reproducible: true }}\n" + Steps);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(".output.reproducible", error.Path);
        Assert.Contains(reason, error.Message);
        Assert.Contains("qcow2", error.Hint);
    }

    [Fact]
    public void A_thin_output_cannot_be_reproducible_and_a_quoted_flag_is_no_flag()
    {
        var thin = folder.Parse("template: base.qcow2\noutput: { backing: template, reproducible: true }\n" + Steps);
        var quoted = folder.Parse("template: base.qcow2\noutput: { reproducible: \"yes\" }\n" + Steps);

        Assert.Contains("thin output", Assert.Single(thin.Diagnostics).Message);
        var error = Assert.Single(quoted.Diagnostics);
        Assert.Equal(DiagnosticCodes.InvalidValue, error.Code);
        Assert.Equal(".output.reproducible", error.Path);
    }

    [Fact]
    public void A_password_salt_follows_the_steps_identity()
    {
        var salt = PasswordStep.SaltFor("ab12");

        Assert.Equal(16, salt.Length);
        Assert.Equal(salt, PasswordStep.SaltFor("ab12"));
        Assert.NotEqual(salt, PasswordStep.SaltFor("ab13"));
    }
}
