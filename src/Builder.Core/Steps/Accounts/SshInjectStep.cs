using Builder.Guests;
using Builder.Steps.Options;
using Builder.Steps.Support;

namespace Builder.Steps.Accounts;

[ExactlyOneOf("key", "key-file")]
public sealed record SshInjectOptions(
    [Doc("The user whose ~/.ssh/authorized_keys gets the key")] string User,
    [Doc("A public key line, for example \"ssh-ed25519 AAAA… admin\"")] string? Key = null,
    [Doc("A host file of public keys, relative to the recipe; its bytes are part of the step's id")] LocalFile? KeyFile = null);

public sealed class SshInjectStep : StepKind<SshInjectOptions>
{
    public override string Name => "ssh-inject";
    public override string Summary => "Add public keys to a user's ~/.ssh/authorized_keys with the right owner and modes";
    public override string Example => "- ssh-inject: { user: root, key-file: keys/admin.pub }";

    protected override void Validate(SshInjectOptions options, StepValidation validation)
    {
        if (!AccountNames.IsValid(options.User)) validation.Error("user", $"'{options.User}' is not a user name");
        if (options.Key is { } key && !LooksLikeKey(key))
            validation.Error("key", "this does not look like an SSH public key", "paste the whole line of the .pub file: type, key and comment");
        if (options.KeyFile is { } file && File.Exists(file.FullPath) && !KeysIn(File.ReadAllText(file.FullPath)).Any())
            validation.Error("key-file", $"{file.Path} holds no SSH public key", "name the .pub file, never the private key");
    }

    protected override string Describe(SshInjectOptions options) => $"Injecting SSH keys for {options.User}";

    protected override async Task ExecuteAsync(SshInjectOptions options, StepContext context, CancellationToken cancellationToken)
    {
        var guest = context.Guest;
        var keys = options.Key is { } key ? [key.Trim()] : KeysIn(await File.ReadAllTextAsync(options.KeyFile!.FullPath, cancellationToken)).ToList();
        var user = await GuestAccounts.UserAsync(guest, options.User, cancellationToken);
        if ((await guest.LstatAsync(user.Home, cancellationToken))?.Type is not (GuestFileType.Directory or GuestFileType.Symlink))
            throw new StepFailedException($"the home folder {user.Home} of '{user.Name}' does not exist in the guest");

        var sshDirectory = user.Home.TrimEnd('/') + "/.ssh";
        if (await guest.LstatAsync(sshDirectory, cancellationToken) is null)
        {
            await guest.MkdirAsync(sshDirectory, cancellationToken);
            await guest.ChmodAsync(sshDirectory, 0x1C0 /* 0700 */, cancellationToken);
            await guest.ChownAsync(sshDirectory, user.Uid, user.Gid, cancellationToken);
        }

        var file = sshDirectory + "/authorized_keys";
        var existing = await GuestText.ReadIfExistsAsync(guest, file, cancellationToken) ?? "";
        var present = GuestText.Lines(existing).Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        var missing = keys.Where(k => !present.Contains(k)).ToList();
        var separator = existing.Length == 0 || existing.EndsWith('\n') ? "" : "\n";
        await GuestText.WriteAsync(guest, file, existing + separator + GuestText.Join(missing, "\n"), cancellationToken);
        await guest.ChmodAsync(file, 0x180 /* 0600 */, cancellationToken);
        await guest.ChownAsync(file, user.Uid, user.Gid, cancellationToken);
    }

    private static IEnumerable<string> KeysIn(string text) =>
        GuestText.Lines(text).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#') && LooksLikeKey(l));

    private static bool LooksLikeKey(string line)
    {
        var parts = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // Options before the key type (from="…",no-pty ssh-ed25519 …) are allowed in authorized_keys.
        return parts.Any(p => p.StartsWith("ssh-", StringComparison.Ordinal) || p.StartsWith("ecdsa-sha2-", StringComparison.Ordinal)
                              || p.StartsWith("sk-", StringComparison.Ordinal))
               && !line.Contains("PRIVATE KEY", StringComparison.Ordinal);
    }
}
