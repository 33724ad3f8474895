namespace Builder.Tests.Support;

/// <summary>A step kind's example as a recipe: every line of it indented under steps:.</summary>
public static class Examples
{
    public static string Recipe(string example) =>
        "template: base.qcow2\nsteps:\n" + string.Concat(example.Split('\n').Select(line => "  " + line + "\n"));

    /// <summary>The host files the examples name, in a recipe folder.</summary>
    public static void WriteInputs(RecipeFolder folder)
    {
        folder.Write("files/nginx.conf", "events {}\n");
        folder.Write("files/site/index.html", "<p>site</p>\n");
        folder.Write("keys/admin.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleExampleExampleExampleExampleExample admin\n");
    }
}
