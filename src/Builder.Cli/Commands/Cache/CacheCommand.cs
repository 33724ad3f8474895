using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Builder.Caching;
using Builder.Recipes;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Builder.Cli.Commands.Cache;

/// <summary>`builder cache ls|du|prune|gc`: the layer cache in the store.</summary>
internal static partial class CacheCommand
{
    public static Command Create(CliContext context) =>
        new("cache", "List, measure and prune the layer cache (never a layer a running build uses)")
        {
            List(context),
            Usage(context),
            Prune(context),
            Collect(context),
        };

    private static Command List(CliContext context)
    {
        var command = new Command("ls", "The cached layers, least recently used first");
        command.SetAction(parse =>
        {
            var services = context.Services(parse);
            var console = Consoles.For(context.Output);
            var table = new Table().Border(TableBorder.Simple)
                .AddColumn("layer").AddColumn("backend").AddColumn("parent").AddColumn(new TableColumn("size").RightAligned())
                .AddColumn("last used").AddColumn("in use");
            foreach (var cache in services.GetRequiredService<LayerStore>().All())
            foreach (var layer in cache.List())
                table.AddRow(layer.Id[..12], layer.Backend, Short(layer.Parent), ByteSize.Format(layer.Size),
                    layer.LastUsed.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), cache.InUse(layer.Id) ? "yes" : "");
            console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Usage(CliContext context)
    {
        var command = new Command("du", "Disk space the layer cache takes, per backend");
        command.SetAction(parse =>
        {
            var services = context.Services(parse);
            long total = 0;
            var count = 0;
            foreach (var cache in services.GetRequiredService<LayerStore>().All())
            {
                var layers = cache.List();
                var bytes = layers.Sum(LayerCache.SizeOf);
                total += bytes;
                count += layers.Count;
                context.Output.WriteLine($"{ByteSize.Format(bytes),10}  {layers.Count,4} layers  {cache.Backend}");
            }
            context.Output.WriteLine($"{ByteSize.Format(total),10}  {count,4} layers  total");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Prune(CliContext context)
    {
        var olderThan = new Option<string?>("--older-than") { Description = "Remove layers not used for this long: 30m, 12h, 7d, 2w" };
        var maxSize = new Option<string?>("--max-size") { Description = "Then remove the least recently used until the cache fits: 10G, 500M" };
        var command = new Command("prune", "Remove layers, least recently used first (all unused ones with no options); in-use layers stay")
            { olderThan, maxSize };
        command.SetAction(parse =>
        {
            var services = context.Services(parse);
            TimeSpan? age = null;
            long? size = null;
            if (parse.GetValue(olderThan) is { } ageText && (age = Duration(ageText)) is null)
            {
                context.Error.WriteLine($"error: '{ageText}' is not a duration; write 30m, 12h, 7d or 2w");
                return ExitCodes.InvalidInput;
            }
            if (parse.GetValue(maxSize) is { } sizeText && (size = ByteSize.Parse(sizeText)) is null)
            {
                context.Error.WriteLine($"error: '{sizeText}' is not a size; write 10G or 500M");
                return ExitCodes.InvalidInput;
            }
            Report(services.GetRequiredService<LayerPruner>().Prune(age, size), context.Output);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Collect(CliContext context)
    {
        var command = new Command("gc", "Remove what no build can use: leftovers of killed builds, discarded layers, layers whose parent is gone");
        command.SetAction(parse =>
        {
            var services = context.Services(parse);
            Report(services.GetRequiredService<LayerPruner>().Collect(), context.Output);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Report(PruneResult result, TextWriter output)
    {
        foreach (var layer in result.Removed) output.WriteLine($"removed  {layer.Id[..12]} ({layer.Backend}, {ByteSize.Format(layer.Size)})");
        foreach (var layer in result.InUse) output.WriteLine($"kept     {layer.Id[..12]} ({layer.Backend}): a running build uses it");
        foreach (var folder in result.Leftovers) output.WriteLine($"removed  {Path.GetFileName(folder)} (left by a killed build)");
        output.WriteLine($"{result.Removed.Count} layers removed, {ByteSize.Format(result.FreedBytes)} freed; {result.InUse.Count} in use kept");
    }

    private static TimeSpan? Duration(string text)
    {
        var match = DurationPattern().Match(text.Trim());
        if (!match.Success) return null;
        var n = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            "d" => TimeSpan.FromDays(n),
            _ => TimeSpan.FromDays(7 * n),
        };
    }

    private static string Short(string id) => id.StartsWith("sha256:", StringComparison.Ordinal) ? "template " + id[7..19] : id[..12];

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)\s*([smhdw])$")]
    private static partial Regex DurationPattern();
}
