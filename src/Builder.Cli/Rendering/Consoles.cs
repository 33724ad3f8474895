using Spectre.Console;

namespace Builder.Cli;

/// <summary>Spectre consoles over a writer: colour and live updates only on a terminal.</summary>
internal static class Consoles
{
    public static IAnsiConsole For(TextWriter writer)
    {
        var terminal = IsTerminal(writer);
        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
    }

    public static bool IsTerminal(TextWriter writer) =>
        (ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected)
        || (ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected);
}
