using System.CommandLine;
using System.Runtime.InteropServices;
using Builder.Diagnostics;
using Builder.Execution;
using Builder.Recipes;
using Builder.Templates.Repositories;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.Cli.Commands.Templates;

/// <summary>
/// `builder templates pull NAME [--arch A]`: download a template from the configured virt-builder
/// repositories (and --source indexes) into the store. Exit 0 pulled or already there, 1 failed,
/// 2 invalid input (unknown name, bad --source, broken repos.d), 130 interrupted.
/// </summary>
internal static class TemplatesPullCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The template's os-version (debian-12) or one of its aliases" };
        var arch = new Option<string?>("--arch") { Description = "The architecture to pull (default: this machine's, e.g. x86_64)" };
        var flags = new RepositoryFlags();
        var command = new Command("pull", "Download a template from virt-builder repositories into the store") { name, arch };
        flags.AddTo(command);
        command.SetAction(async parse =>
        {
            var (services, output, error) = (context.Services(parse), context.Output, context.Error);
            var repositories = services.GetRequiredService<ITemplateRepositories>();
            var time = services.GetRequiredService<TimeProvider>();
            var events = new DownloadLines(IBuildEvents.From(new LineRenderer(output, error, verbose: false, time)), output, time);
            var options = flags.Read(parse);
            var wanted = parse.GetValue(name)!;
            var architecture = parse.GetValue(arch) ?? HostArchitecture();

            using var interrupt = new InterruptSignals(error);
            try
            {
                var entries = await repositories.ListAsync(options, events, interrupt.Token);
                var named = entries.Where(e => e.OsVersion == wanted || e.Aliases.Contains(wanted)).ToList();
                if (named.Count == 0) return Fail(error, ExitCodes.InvalidInput, NotFound(wanted, entries));
                var entry = named.FirstOrDefault(e => e.Arch == architecture);
                if (entry is null)
                    return Fail(error, ExitCodes.InvalidInput,
                        $"{wanted} is not available for {architecture}, only for {string.Join(", ", named.Select(e => e.Arch).Distinct())}",
                        "choose one with --arch");

                var stored = await repositories.PullAsync(entry, options, events, interrupt.Token);
                await output.WriteLineAsync(
                    $"Pulled {stored.Name} ({entry.Arch}): {stored.Format}, {ByteSize.Format(stored.VirtualSize)} virtual, {stored.Digest}");
                return ExitCodes.Ok;
            }
            catch (OperationCanceledException) when (interrupt.Token.IsCancellationRequested)
            {
                await error.WriteLineAsync("Interrupted: nothing was added to the template store.");
                return ExitCodes.Interrupted;
            }
            catch (RepositoryException e)
            {
                return Report(error, e);
            }
        });
        return command;
    }

    /// <summary>One paragraph: the error, its located diagnostics when there are some, and the hint.</summary>
    internal static int Report(TextWriter error, RepositoryException e)
    {
        error.WriteLine($"error: {e.Message}");
        if (e.Diagnostics.Count > 0) error.Write(e.RenderDiagnostics());
        if (e.Hint is not null) error.WriteLine($"  hint: {e.Hint}");
        error.Flush();
        return e.InvalidInput ? ExitCodes.InvalidInput : ExitCodes.BuildFailed;
    }

    private static int Fail(TextWriter error, int code, string message, string? hint = null)
    {
        error.WriteLine($"error: {message}");
        if (hint is not null) error.WriteLine($"  hint: {hint}");
        error.Flush();
        return code;
    }

    private static int Fail(TextWriter error, int code, (string Message, string Hint) failure) => Fail(error, code, failure.Message, failure.Hint);

    private static (string, string) NotFound(string wanted, IReadOnlyList<IndexEntry> entries)
    {
        var known = entries.Where(e => !e.Hidden).Select(e => e.OsVersion).Distinct().Order(StringComparer.Ordinal).ToList();
        if (known.Count == 0)
            return ($"no repository offers {wanted}: no repository is configured",
                "add a .conf file to ~/.config/builder/repos.d or /etc/builder/repos.d, or pass --source URI");
        return ($"no repository offers a template named {wanted}", Suggestions.Hint(wanted, known, "templates"));
    }

    private static string HostArchitecture() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "x86_64",
        Architecture.Arm64 => "aarch64",
        Architecture.X86 => "i686",
        Architecture.Arm => "armv7l",
        Architecture.Ppc64le => "ppc64le",
        Architecture.S390x => "s390x",
        Architecture.RiscV64 => "riscv64",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>Progress lines for a download: how much has arrived, every few seconds and at the end.</summary>
    private sealed class DownloadLines(IBuildEvents inner, TextWriter output, TimeProvider time) : IBuildEvents
    {
        private static readonly TimeSpan Every = TimeSpan.FromSeconds(5);
        private long last = time.GetTimestamp();

        public void Emit(BuildEvent buildEvent)
        {
            if (buildEvent is not DownloadProgress progress)
            {
                inner.Emit(buildEvent);
                return;
            }
            var done = progress.Total is { } total && progress.Bytes >= total;
            if (!done && time.GetElapsedTime(last) < Every) return;
            last = time.GetTimestamp();
            var of = progress.Total is { } size && size > 0
                ? $" of {ByteSize.Format(size)} ({100 * progress.Bytes / size}%)"
                : "";
            output.WriteLine($"         {ByteSize.Format(progress.Bytes)}{of}");
            output.Flush();
        }
    }
}
