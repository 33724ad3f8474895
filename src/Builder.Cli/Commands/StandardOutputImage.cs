namespace Builder.Cli.Commands;

/// <summary>`build -o -`: the image streamed to standard output, for pipelines that upload it directly.</summary>
internal static class StandardOutputImage
{
    public const string Argument = "-";

    /// <summary>Why the image cannot go to standard output here, or null: a terminal would only be flooded with binary.</summary>
    public static string? Refusal(CliContext context) =>
        Consoles.IsTerminal(context.Output) ? "refusing to write a disk image to a terminal; redirect or pipe it (builder build RECIPE -o - > image)" : null;

    /// <summary>The process's standard output as a byte stream; progress goes to standard error meanwhile.</summary>
    public static Stream Open() => Console.OpenStandardOutput();
}
