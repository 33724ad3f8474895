using System.CommandLine;
using Builder.Execution;
using Builder.Templates.Repositories;
using Builder.Templates.Repositories.Publishing;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.Cli.Commands.Templates;

/// <summary>
/// `builder templates publish DIR [--sign KEY]`: write the store's templates as a virt-builder
/// repository (DIR/index, DIR/index.asc, DIR/NAME.FORMAT.xz) for any static HTTP server.
/// Exit 0 published, 1 failed, 130 interrupted.
/// </summary>
internal static class TemplatesPublishCommand
{
    public static Command Create(CliContext context)
    {
        var folder = new Argument<string>("dir") { Description = "The folder to write the repository to (created when missing)" };
        var sign = new Option<string?>("--sign")
        {
            Description = "Also write index.asc, clearsigned with this gpg key (a key id, fingerprint or e-mail; GNUPGHOME applies)",
        };
        var command = new Command("publish", "Publish the store's templates as a virt-builder repository") { folder, sign };
        command.SetAction(async parse =>
        {
            var (services, output, error) = (context.Services(parse), context.Output, context.Error);
            var publisher = services.GetRequiredService<RepositoryPublisher>();
            var events = IBuildEvents.From(new LineRenderer(output, error, verbose: false, services.GetRequiredService<TimeProvider>()));
            var key = parse.GetValue(sign);
            if (key is not null && (key.Length == 0 || key.StartsWith('-')))
            {
                await error.WriteLineAsync($"error: --sign '{key}' is not a gpg key id");
                return ExitCodes.InvalidInput;
            }

            using var interrupt = new InterruptSignals(error);
            try
            {
                var published = await publisher.PublishAsync(parse.GetValue(folder)!, key, events, interrupt.Token);
                var index = published.SignedIndex ?? published.Index;
                await output.WriteLineAsync(
                    $"Published {published.Entries.Count} template{(published.Entries.Count == 1 ? "" : "s")} to {Path.GetDirectoryName(index)}; " +
                    $"serve the folder over HTTP and use {Path.GetFileName(index)} as the repository's uri=");
                return ExitCodes.Ok;
            }
            catch (OperationCanceledException) when (interrupt.Token.IsCancellationRequested)
            {
                await error.WriteLineAsync("Interrupted: the repository was not changed.");
                return ExitCodes.Interrupted;
            }
            catch (RepositoryException e)
            {
                return TemplatesPullCommand.Report(error, e);
            }
        });
        return command;
    }
}
