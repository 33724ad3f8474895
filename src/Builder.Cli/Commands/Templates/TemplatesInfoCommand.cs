using System.CommandLine;
using Builder.Recipes;
using Builder.Templates.Definitions;
using Builder.Templates.Repositories;
using Builder.Templates.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.Cli.Commands.Templates;

/// <summary>`builder templates info NAME`: what is known about one template.</summary>
internal static class TemplatesInfoCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The template's name" };
        var command = new Command("info", "Show what is known about a template: definition, stored image, repository entry") { name };
        var repositories = new RepositoryFlags();
        repositories.AddTo(command);
        command.SetAction(async parse =>
        {
            var (services, output, error) = (context.Services(parse), context.Output, context.Error);
            var wanted = parse.GetValue(name)!;
            var (entries, problems) = await TemplateCatalog.ReadAsync(
                services.GetRequiredService<TemplateDefinitions>(), services.GetRequiredService<ITemplateStore>(),
                services.GetRequiredService<ITemplateRepositories>(), repositories.Read(parse), new NoticesTo(error), CancellationToken.None);
            foreach (var problem in problems) await error.WriteLineAsync($"warning: {problem}");
            var matches = entries.Where(e => e.Name == wanted || e.Index?.Aliases.Contains(wanted) == true).ToList();
            if (matches.Count == 0)
            {
                await error.WriteLineAsync($"error: unknown template '{wanted}'\n  hint: "
                    + Diagnostics.Suggestions.Hint(wanted, entries.Select(e => e.Name).Distinct(), "templates"));
                return ExitCodes.InvalidInput;
            }
            foreach (var entry in matches) Write(entry, output);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Write(CatalogEntry entry, TextWriter output)
    {
        output.WriteLine($"{entry.Name} ({entry.Arch})");
        output.WriteLine($"  description  {entry.Description}");
        output.WriteLine($"  from         {entry.Origin}");
        if (entry.Definition is { Definition: var d } definition)
        {
            output.WriteLine($"  definition   {definition.Source} ({definition.Digest[..19]}…)");
            output.WriteLine($"  os           {d.Os.Distro} {d.Os.Version}, {d.Os.PackageManager}, {d.Os.Architecture}");
            output.WriteLine($"  bootstrap    {d.Bootstrap.Tool.ToString().ToLowerInvariant()} {d.Bootstrap.Suite} ({d.Bootstrap.Variant}), {d.Bootstrap.Packages?.Count ?? 0} extra packages");
            output.WriteLine($"  disk         {d.Disk.Size}, {d.Disk.PartitionTable.ToString().ToLowerInvariant()}, ext4 '{d.Disk.Label}'");
        }
        if (entry.Index is { } index)
        {
            output.WriteLine($"  index        {index.IndexUri} [{index.OsVersion}]{(index.Signed ? ", signed" : ", NOT signed")}");
            output.WriteLine($"  file         {index.File} ({index.Format}, {ByteSize.Format(index.Size)} virtual)");
            if (index.Notes is { } notes) output.WriteLine("  notes        " + notes.Replace("\n", "\n               "));
        }
        if (entry.Stored is { } stored)
        {
            output.WriteLine($"  stored       {stored.Digest}");
            output.WriteLine($"  image        {stored.ImagePath} ({stored.Format}, {ByteSize.Format(stored.VirtualSize)} virtual)");
            output.WriteLine($"  root         {stored.Metadata.RootDevice}, {stored.Metadata.Distro} {stored.Metadata.Version}, {stored.Metadata.PackageManager}");
            output.WriteLine($"  made         {stored.Created:yyyy-MM-dd HH:mm} UTC from {stored.Source}");
        }
        else
        {
            output.WriteLine("  stored       no (built or pulled on first use)");
        }
    }
}
