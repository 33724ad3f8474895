using Builder.Planning;
using Builder.Tests.Support;
using Snapshooter.Xunit;

namespace Builder.Tests.Planning;

public sealed class PlannerTests : IDisposable
{
    private const string Recipe = """
        name: web
        template: base.qcow2
        size: 4G
        steps:
          - password: { user: root, from-env: ROOT_PASSWORD }
          - write: { path: /etc/motd, content: "hello\n" }
          - upload: { from: files/app.conf, to: /etc/app.conf, mode: "0600" }
          - mkdir: /srv/app
          - hostname: web1
        """;

    private readonly RecipeFolder folder = new();
    private readonly Planner planner = new(new FileDigests());

    public PlannerTests() => folder.Write("files/app.conf", "port=80\n");

    public void Dispose() => folder.Dispose();

    private BuildPlan Plan(string yaml) => planner.Plan(folder.Load(yaml));

    private static string[] Ids(BuildPlan plan) => plan.Steps.Select(s => s.Id.Hex).ToArray();

    [Fact]
    public void Plan_json_is_stable_across_runs_and_machines()
    {
        var first = PlanJson.ToText(Plan(Recipe));
        var second = PlanJson.ToText(new Planner(new FileDigests()).Plan(folder.Load(Recipe)));

        Assert.Equal(first, second);
        // The snapshot holds the ids themselves: a change to the id scheme must be deliberate.
        first.MatchSnapshot();
    }

    [Fact]
    public void Passwords_run_after_every_other_step()
    {
        var plan = Plan(Recipe);

        Assert.Equal(["write", "upload", "mkdir", "hostname", "password"], plan.Steps.Select(s => s.Kind));
        Assert.Equal([1, 2, 3, 4, 5], plan.Steps.Select(s => s.Number));
    }

    [Fact]
    public void Changing_a_step_changes_its_id_and_every_later_one_but_no_earlier_one()
    {
        var before = Ids(Plan(Recipe));
        var after = Ids(Plan(Recipe.Replace("- mkdir: /srv/app", "- mkdir: /srv/other")));

        Assert.Equal(before[..2], after[..2]);
        Assert.All(Enumerable.Range(2, 3), i => Assert.NotEqual(before[i], after[i]));
    }

    [Fact]
    public void Changing_an_uploaded_files_bytes_changes_that_steps_id()
    {
        var before = Ids(Plan(Recipe));
        folder.Write("files/app.conf", "port=8080\n");
        var after = Ids(Plan(Recipe));

        Assert.Equal(before[0], after[0]);
        Assert.NotEqual(before[1], after[1]);
        Assert.NotEqual(before[4], after[4]);
    }

    [Fact]
    public void Changing_the_template_changes_every_id()
    {
        var before = Ids(Plan(Recipe));
        folder.Write("base.qcow2", "another template");
        var after = Ids(Plan(Recipe));

        Assert.All(Enumerable.Range(0, before.Length), i => Assert.NotEqual(before[i], after[i]));
    }

    [Fact]
    public void Secrets_enter_ids_by_name_only()
    {
        Environment.SetEnvironmentVariable("ROOT_PASSWORD", "first-value");
        var first = Plan(Recipe);
        Environment.SetEnvironmentVariable("ROOT_PASSWORD", "second-value");
        var second = Plan(Recipe);
        Environment.SetEnvironmentVariable("ROOT_PASSWORD", null);
        var renamed = Plan(Recipe.Replace("from-env: ROOT_PASSWORD", "from-env: ADMIN_PASSWORD"));

        Assert.Equal(Ids(first), Ids(second));
        Assert.NotEqual(first.Steps[^1].Id, renamed.Steps[^1].Id);
        Assert.Equal(["env:ROOT_PASSWORD"], first.Steps[^1].Secrets);
        Assert.DoesNotContain("first-value", PlanJson.ToText(first));
    }

    [Fact]
    public void An_option_given_as_its_default_hashes_like_an_omitted_one()
    {
        const string omitted = "template: base.qcow2\nsteps:\n  - edit: { path: /etc/x, replace: a, with: b }\n";
        const string given = "template: base.qcow2\nsteps:\n  - edit: { path: /etc/x, replace: a, with: b, optional: false }\n";

        Assert.Equal(Ids(Plan(omitted)), Ids(Plan(given)));
    }

    [Fact]
    public void Size_is_part_of_the_base_of_every_id()
    {
        var grown = Ids(Plan(Recipe));
        var original = Ids(Plan(Recipe.Replace("size: 4G\n", "")));

        Assert.NotEqual(grown[0], original[0]);
    }

    [Fact]
    public void Steps_that_need_the_network_say_so_in_the_plan()
    {
        var plan = Plan("template: base.qcow2\nsteps:\n  - install: [curl]\n  - script: echo hi\n  - script: { content: curl x, network: true }\n  - write: { path: /a, content: b }\n");

        Assert.Equal([true, false, true, false], plan.Steps.Select(s => s.Network));
        Assert.True(plan.UsesNetwork);
        Assert.Equal(true, (bool?)PlanJson.ToJson(plan)["steps"]![0]!["network"]);
        Assert.Null(PlanJson.ToJson(plan)["steps"]![1]!["network"]);
    }

    [Fact]
    public void Changing_a_file_in_a_copied_folder_changes_that_steps_id()
    {
        folder.Write("site/index.html", "one");
        const string yaml = "template: base.qcow2\nsteps:\n  - copy-in: { from: site, to: /srv/www }\n";
        var before = Ids(Plan(yaml));
        folder.Write("site/index.html", "two");
        var changed = Ids(Plan(yaml));
        File.SetUnixFileMode(Path.Combine(folder.Path, "site/index.html"), (UnixFileMode)0x1C0);
        var chmodded = Ids(Plan(yaml));

        Assert.NotEqual(before[0], changed[0]);
        Assert.NotEqual(changed[0], chmodded[0]);
    }
}
