using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Builder.Execution;
using Builder.Templates.Definitions;
using Builder.Templates.Repositories;
using Builder.Templates.Store;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Builder.Cli.Commands.Templates;

/// <summary>`builder templates list [--json]`: definitions, the store, and configured repositories.</summary>
internal static class TemplatesListCommand
{
    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print the list as JSON" };
        var command = new Command("list", "List the templates recipes can name: definitions, the store, and repositories") { json };
        var repositories = new RepositoryFlags();
        repositories.AddTo(command);
        command.SetAction(async parse =>
        {
            var (services, output, error) = (context.Services(parse), context.Output, context.Error);
            var (entries, problems) = await TemplateCatalog.ReadAsync(
                services.GetRequiredService<TemplateDefinitions>(), services.GetRequiredService<ITemplateStore>(),
                services.GetRequiredService<ITemplateRepositories>(), repositories.Read(parse), new NoticesTo(error), CancellationToken.None);
            foreach (var problem in problems) await error.WriteLineAsync($"warning: {problem}");

            if (parse.GetValue(json))
            {
                var array = new JsonArray(entries.Select(e => (JsonNode)new JsonObject
                {
                    ["name"] = e.Name,
                    ["arch"] = e.Arch,
                    ["description"] = e.Description,
                    ["origin"] = e.Origin,
                    ["in-store"] = e.InStore,
                    ["digest"] = e.Stored?.Digest,
                    ["kind"] = e.Definition is not null ? "definition" : e.Index is not null ? "repository" : "store",
                }).ToArray());
                await output.WriteLineAsync(array.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return ExitCodes.Ok;
            }

            var table = new Table().Border(TableBorder.Simple).AddColumn("name").AddColumn("arch").AddColumn("state").AddColumn("from").AddColumn("description");
            foreach (var entry in entries)
            {
                var state = entry.InStore ? "in store" : entry.Definition is not null ? "not built" : "not pulled";
                table.AddRow(Markup.Escape(entry.Name), entry.Arch, state, Markup.Escape(entry.Origin), Markup.Escape(entry.Description));
            }
            Consoles.For(output).Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}

/// <summary>Notices of a quick command go to stderr as plain lines.</summary>
internal sealed class NoticesTo(TextWriter error) : IBuildEvents
{
    public void Emit(BuildEvent buildEvent)
    {
        if (buildEvent is Notice notice) error.WriteLine("note: " + notice.Message);
    }
}
