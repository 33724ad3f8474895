using System.Security.Cryptography;
using Builder.Execution;
using Builder.Secrets;
using Builder.Steps.Support;

namespace Builder.Steps.Accounts;

/// <summary>
/// Sets a user's password in /etc/shadow. Plaintext is hashed on the build host through libcrypt
/// and never reaches the guest, a process argv, the log, the plan or an id. Runs after every other
/// step, as virt-customize does, so that a later step cannot undo it.
/// </summary>
public sealed class PasswordStep : StepKind<PasswordOptions>
{
    private const string Alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private const int RandomLength = 20;

    public override string Name => "password";
    public override string Summary => "Set, lock or disable a user's password, hashed on the host";
    public override string Example => "- password: { user: root, from-env: ROOT_PASSWORD }";
    public override StepOrder Order => StepOrder.Last;

    protected override void Validate(PasswordOptions options, StepValidation validation)
    {
        if (!AccountNames.IsValid(options.User)) validation.Error("user", $"'{options.User}' is not a user name");
        if (options.Random == false) validation.Error("random", "random: false chooses no password source", "write random: true, or use another source");
        if (options.Locked == false) validation.Error("locked", "locked: false chooses no password action", "write locked: true, or use another source");
        if (options.Disabled == false) validation.Error("disabled", "disabled: false chooses no password action", "write disabled: true, or use another source");
        if (options.SaveTo is not null && options.Random != true)
            validation.Error("save-to", "save-to only goes with random: true", "remove save-to, or generate the password with random: true");
        if (options.Hash is { } hash && !(hash.StartsWith('$') && hash.Count(c => c == '$') >= 3) )
            validation.Error("hash", "the hash does not look like a crypt(3) hash ($id$salt$hash)", "make one with: mkpasswd -m yescrypt");
        if (options.Hash is { } h && h.Contains(':'))
            validation.Error("hash", "a hash cannot contain ':'");
    }

    protected override string? ConflictKey(PasswordOptions options) => $"the password of user '{options.User}'";

    /// <summary>A random password is new in every build, so the step is never taken from the cache.</summary>
    protected override bool IsVolatile(PasswordOptions options) => options.Random == true;

    protected override string Describe(PasswordOptions options) => options switch
    {
        { Locked: true } => $"Locking the account {options.User}",
        { Disabled: true } => $"Disabling password login for {options.User}",
        { Random: true } => $"Setting a random password for {options.User}",
        _ => $"Setting the password of {options.User}",
    };

    protected override async Task ExecuteAsync(PasswordOptions options, StepContext context, CancellationToken cancellationToken)
    {
        var shadow = await GuestText.ReadAsync(context.Guest, "/etc/shadow", cancellationToken);
        var lines = GuestText.Lines(shadow).ToList();
        var index = lines.FindIndex(l => l.Split(':')[0] == options.User);
        if (index < 0)
            throw new StepFailedException($"the user '{options.User}' does not exist in the guest's /etc/shadow", "create the user first");
        var fields = lines[index].Split(':');
        if (fields.Length < 2) throw new StepFailedException($"the /etc/shadow entry of '{options.User}' is malformed");

        fields[1] = options switch
        {
            { Locked: true } => fields[1].StartsWith('!') ? fields[1] : "!" + fields[1],
            { Disabled: true } => "*",
            { Hash: { } hash } => hash,
            _ => HashFor(await PlaintextAsync(options, context, cancellationToken), context, options.Random == true),
        };
        lines[index] = string.Join(':', fields);
        await GuestText.WriteAsync(context.Guest, "/etc/shadow", GuestText.Join(lines, GuestText.LineEnding(shadow)), cancellationToken);
    }

    private static async Task<string> PlaintextAsync(PasswordOptions options, StepContext context, CancellationToken cancellationToken)
    {
        if (options.FromEnv is { } variable) return context.Reveal(variable);
        if (options.FromFile is { } file) return context.Reveal(file);

        var password = RandomNumberGenerator.GetString(Alphabet, RandomLength);
        context.Session.AddSecret(password);
        if (options.SaveTo is { } saveTo)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(saveTo.FullPath)!);
            await File.WriteAllTextAsync(saveTo.FullPath, "", cancellationToken);
            File.SetUnixFileMode(saveTo.FullPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            await File.WriteAllTextAsync(saveTo.FullPath, password + "\n", cancellationToken);
        }
        else
        {
            context.Events.Emit(new PasswordGenerated(options.User, password));
        }
        return password;
    }

    private static string HashFor(string password, StepContext context, bool random)
    {
        if (password.Length == 0) throw new StepFailedException("the password is empty", "use disabled: true to allow no password login");
        var method = SupportsYescrypt(context.Guest.Info) ? PasswordHashMethod.Yescrypt : PasswordHashMethod.Sha512;
        return context.PasswordHasher.Hash(password, method, random ? RandomNumberGenerator.GetBytes(16) : SaltFor(context.StepId));
    }

    /// <summary>
    /// The salt, derived from the step's id (the recipe's identity up to this step, which holds the
    /// secret's name but never its value) and the user, so the same build writes the same hash.
    /// A random password gets a random salt: that build cannot repeat anyway.
    /// </summary>
    internal static byte[] SaltFor(string stepId) =>
        stepId.Length == 0
            ? RandomNumberGenerator.GetBytes(16)
            : SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("builder password salt\n" + stepId))[..16];

    /// <summary>Guests whose libcrypt and PAM understand $y$; everything else gets $6$.</summary>
    private static bool SupportsYescrypt(Guests.GuestInfo info) => info.Distro switch
    {
        "debian" => info.MajorVersion >= 11,
        "ubuntu" => info.MajorVersion >= 22,
        "fedora" => info.MajorVersion >= 35,
        "archlinux" => true,
        _ => false,
    };
}
