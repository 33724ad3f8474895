using Builder.Recipes;
using Builder.Templates.Store;

namespace Builder.Cli.Commands.Templates;

internal static class TemplateText
{
    public static string Summary(StoredTemplate template, TimeSpan elapsed) =>
        $"Template {template.Name}: {template.Digest[..19]}… ({template.Format}, {ByteSize.Format(template.VirtualSize)} virtual, " +
        $"{ByteSize.Format(new FileInfo(template.ImagePath).Length)} on disk), ready in {elapsed.TotalSeconds:0.0} s";
}
