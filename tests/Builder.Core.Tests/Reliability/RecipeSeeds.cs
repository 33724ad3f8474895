using Builder.Steps;
using Builder.Tests.Support;

namespace Builder.Tests.Reliability;

/// <summary>Valid recipes that mutations start from: the repository's recipes, every step's example, and one using every top-level key.</summary>
public static class RecipeSeeds
{
    private const string EveryKey = """
        name: every-key
        template: base.qcow2
        size: 8G
        output: { path: out/web.qcow2, format: qcow2, compress: true, sparsify: false }
        backend: host
        steps:
          - update: {}
          - install: [nginx, curl]
            checkpoint: true
          - write: &motd { path: /etc/motd, content: "hello\n", mode: "0644" }
          - upload: { from: files/nginx.conf, to: /etc/nginx/nginx.conf }
          - copy-in: { from: files/site, to: /srv/www }
          - script:
              content: |
                systemctl enable nginx
              env: { NAME: value, TOKEN: { from-env: CI_TOKEN } }
          - password: { user: root, from-env: ROOT_PASSWORD }
          - ssh-inject: { user: root, key-file: keys/admin.pub }
        """;

    public static IReadOnlyList<string> All { get; } = Load();

    private static List<string> Load()
    {
        var seeds = Directory.GetFiles(Repository.PathOf("recipes"), "*.yaml").Order(StringComparer.Ordinal).Select(File.ReadAllText).ToList();
        seeds.AddRange(StepRegistry.BuiltIn.Kinds.Select(k => Examples.Recipe(k.Example)));
        seeds.Add(EveryKey);
        return seeds;
    }
}
