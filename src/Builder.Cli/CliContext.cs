using System.CommandLine;

namespace Builder.Cli;

/// <summary>
/// What every command shares: the output streams, the global --store option, and the services,
/// made once the command line is parsed (they depend on --store).
/// </summary>
internal sealed class CliContext(Func<string?, IServiceProvider> createServices, TextWriter output, TextWriter error)
{
    private IServiceProvider? services;

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public Option<string?> Store { get; } = new("--store")
    {
        Description = "The template store and caches (default: BUILDER_STORE, else ~/.cache/builder)",
        Recursive = true,
    };

    public IServiceProvider Services(ParseResult parse) => services ??= createServices(parse.GetValue(Store));
}
