using System.Runtime.InteropServices;
using Builder.Diagnostics;
using Builder.Execution;
using Builder.Guests;
using Builder.Planning;
using Builder.Recipes;
using Builder.Templates.Building;
using Builder.Templates.Definitions;
using Builder.Templates.Repositories;
using Builder.Templates.Store;

namespace Builder.Templates;

/// <summary>
/// Turns a recipe's `template:` into an image: a path is used as it is; a name is looked up as
/// a definition (templates/NAME.yaml near the recipe, or built in), built into the store on first
/// use and whenever the definition changes; else as a template already in the store; else pulled
/// from a configured repository.
/// </summary>
public sealed class TemplateResolver(
    TemplateDefinitions definitions,
    ITemplateStore store,
    TemplateBuilder builder,
    ITemplateRepositories repositories,
    IFileDigests digests)
{
    /// <param name="searchFrom">Where to start looking for templates/ folders: the recipe's folder.</param>
    /// <param name="allowBuild">False for plans: use only what the store has, build and pull nothing.</param>
    public async Task<ResolvedTemplate> ResolveAsync(TemplateReference reference, string searchFrom, bool allowBuild,
        RepositoryOptions repositoryOptions, GuestSessionOptions session, IBuildEvents events, CancellationToken cancellationToken)
    {
        if (reference.FullPath is { } path) return new ResolvedTemplate(reference.Written, path, digests.Sha256(path), null);

        var name = reference.Written;
        if (definitions.FindText(name, searchFrom) is { } text)
        {
            // Built from this very text: no need to parse it.
            var built = store.Find(name);
            if (built is not null && built.TextKey == text.TextKey) return ResolvedTemplate.From(name, built);
            var (definition, problems) = text.Parse();
            if (problems.Any(d => d.IsError) || definition is null) throw new TemplateDefinitionException(problems);
            if (built is not null && built.SourceKey == TemplateBuilder.SourceKey(definition))
            {
                store.RecordTextKey(built, text.TextKey);
                return ResolvedTemplate.From(name, built);
            }
            if (!allowBuild)
                throw new TemplateResolutionException($"the template {name} is not built yet (for its current definition, {definition.Source})",
                    $"build it with `builder templates build {name}`; `builder build` builds it on first use");
            events.Emit(new Notice($"building the template {name} from {definition.Source}: once, later builds reuse it"));
            return ResolvedTemplate.From(name, await builder.BuildAsync(definition, session, events, cancellationToken));
        }

        if (store.Find(name) is { } stored) return ResolvedTemplate.From(name, stored);
        if (!allowBuild)
            throw new TemplateResolutionException($"the template {name} is not in the store", $"pull it with `builder templates pull {name}`");

        var entries = await repositories.ListAsync(repositoryOptions, events, cancellationToken);
        var arch = HostArchitecture();
        var entry = entries.FirstOrDefault(e => e.Arch == arch && (e.OsVersion == name || e.Aliases.Contains(name)));
        if (entry is null)
        {
            var known = definitions.Names(searchFrom).Concat(store.List().Select(t => t.Name)).Concat(entries.Select(e => e.OsVersion)).Distinct();
            throw new TemplateResolutionException($"unknown template '{name}': no definition, nothing in the store, no repository has it",
                Suggestions.Hint(name, known, "templates") + "; a template is also a disk image path, relative to the recipe");
        }
        return ResolvedTemplate.From(name, await repositories.PullAsync(entry, repositoryOptions, events, cancellationToken));
    }

    private static string HostArchitecture() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.Arm64 => "aarch64",
        _ => "x86_64",
    };
}
