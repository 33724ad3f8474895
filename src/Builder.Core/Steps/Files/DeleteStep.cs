using Builder.Execution;
using Builder.Steps.Options;

namespace Builder.Steps.Files;

public sealed record DeleteOptions(
    [Doc("Absolute guest path or shell glob; everything matching is removed recursively"), Shorthand] GuestGlob Path);

public sealed class DeleteStep : StepKind<DeleteOptions>
{
    public override string Name => "delete";
    public override string Summary => "Remove files and folders matching a path or glob";
    public override string Example => "- delete: /var/cache/apt/archives/*.deb";

    protected override void Validate(DeleteOptions options, StepValidation validation)
    {
        if (options.Path.Value.Trim('/', '*', '.').Length == 0)
            validation.Error("path", $"deleting '{options.Path}' would empty the whole guest", "name what to delete more precisely");
    }

    protected override string Describe(DeleteOptions options) => $"Deleting {options.Path}";

    protected override async Task ExecuteAsync(DeleteOptions options, StepContext context, CancellationToken cancellationToken)
    {
        var matches = await context.Guest.GlobAsync(options.Path.Value, cancellationToken);
        if (matches.Count == 0) context.Events.Emit(new Notice($"delete: nothing matches {options.Path}"));
        foreach (var path in matches) await context.Guest.DeleteAsync(path, cancellationToken);
    }
}
