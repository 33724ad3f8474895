using Builder.Execution;
using Builder.Templates.Building;
using Builder.Templates.Definitions;
using Builder.Templates.Repositories;
using Builder.Templates.Store;

namespace Builder.Cli.Commands.Templates;

/// <summary>One template as `templates list` and `templates info` show it, from wherever it is known.</summary>
internal sealed record CatalogEntry(
    string Name,
    string Arch,
    string Description,
    string Origin,
    bool InStore,
    StoredTemplate? Stored,
    LoadedDefinition? Definition,
    IndexEntry? Index);

/// <summary>Everything a user can name in `template:`: definitions, the store, configured repositories.</summary>
internal static class TemplateCatalog
{
    public static async Task<(IReadOnlyList<CatalogEntry> Entries, IReadOnlyList<string> Problems)> ReadAsync(
        TemplateDefinitions definitions, ITemplateStore store, ITemplateRepositories repositories, RepositoryOptions options,
        IBuildEvents events, CancellationToken cancellationToken)
    {
        var entries = new List<CatalogEntry>();
        var problems = new List<string>();
        var here = Environment.CurrentDirectory;
        foreach (var name in definitions.Names(here))
        {
            var (definition, diagnostics) = definitions.Find(name, here);
            if (definition is null)
            {
                problems.Add($"templates/{name}.yaml is invalid ({diagnostics.Count(d => d.IsError)} errors; `builder templates build {name}` shows them)");
                continue;
            }
            var stored = store.Find(name);
            var current = stored?.SourceKey == TemplateBuilder.SourceKey(definition);
            entries.Add(new CatalogEntry(name, definition.Definition.Os.Architecture, definition.Definition.Description,
                definition.Source, current, current ? stored : null, definition, null));
        }
        foreach (var stored in store.List().Where(s => entries.All(e => e.Name != s.Name)))
            entries.Add(new CatalogEntry(stored.Name, stored.Metadata.Architecture, stored.Metadata.Description, stored.Source, true, stored, null, null));

        try
        {
            foreach (var index in await repositories.ListAsync(options, events, cancellationToken))
            {
                if (index.Hidden || entries.Any(e => e.Name == index.OsVersion && e.Arch == index.Arch && e.Index is null && e.Definition is not null)) continue;
                var stored = store.Find(index.OsVersion);
                entries.RemoveAll(e => e.Name == index.OsVersion && e.Definition is null && e.Index is null);
                entries.Add(new CatalogEntry(index.OsVersion, index.Arch, index.Name ?? index.OsVersion, index.Repository,
                    stored is not null, stored, null, index));
            }
        }
        catch (RepositoryException e)
        {
            problems.Add(e.Message);
        }
        return (entries.OrderBy(e => e.Name, StringComparer.Ordinal).ThenBy(e => e.Arch, StringComparer.Ordinal).ToList(), problems);
    }
}
