using Builder.Steps.Options;
using Builder.Steps.Support;

namespace Builder.Steps.Files;

public sealed record ChownOptions(
    [Doc("Absolute guest path of the file or folder (a symlink itself, not its target)")] GuestPath Path,
    [Doc("Owner: a user name from the guest's /etc/passwd, or a numeric id")] string User,
    [Doc("Group: a name from the guest's /etc/group, or a numeric id; the user's primary group when omitted")] string? Group = null);

public sealed class ChownStep : StepKind<ChownOptions>
{
    public override string Name => "chown";
    public override string Summary => "Set the owner and group of a file or folder, by name or number";
    public override string Example => "- chown: { path: /srv/app, user: www-data, group: www-data }";

    protected override void Validate(ChownOptions options, StepValidation validation)
    {
        if (!AccountNames.IsValid(options.User)) validation.Error("user", $"'{options.User}' is not a user name or id");
        if (options.Group is { } group && !AccountNames.IsValid(group)) validation.Error("group", $"'{group}' is not a group name or id");
    }

    protected override string Describe(ChownOptions options) =>
        $"Setting owner {options.User}{(options.Group is null ? "" : ":" + options.Group)} on {options.Path}";

    protected override async Task ExecuteAsync(ChownOptions options, StepContext context, CancellationToken cancellationToken)
    {
        if (await context.Guest.LstatAsync(options.Path, cancellationToken) is null)
            throw new StepFailedException($"{options.Path} does not exist in the guest");
        var user = await GuestAccounts.UserAsync(context.Guest, options.User, cancellationToken);
        var gid = options.Group is null ? user.Gid : await GuestAccounts.GroupIdAsync(context.Guest, options.Group, cancellationToken);
        await context.Guest.ChownAsync(options.Path, user.Uid, gid, cancellationToken);
    }
}
