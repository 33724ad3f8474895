using Builder.Steps.Options;

namespace Builder.Steps.Accounts;

[ExactlyOneOf("random", "from-env", "from-file", "hash", "locked", "disabled")]
public sealed record PasswordOptions(
    [Doc("The user whose password is set; must exist in the guest's /etc/shadow")] string User,
    [Doc("true: generate a random password, shown once on the terminal or written to save-to")] bool? Random = null,
    [Doc("With random: a host file (relative to the recipe) to write the generated password to, mode 0600")] HostOutputFile? SaveTo = null,
    [Doc("The name of an environment variable holding the password; only the name enters plans and ids")] SecretVariable? FromEnv = null,
    [Doc("A host file holding the password (relative to the recipe); only its path enters plans and ids")] SecretFile? FromFile = null,
    [Doc("A crypt(3) hash to use as is, for example one made by mkpasswd")] string? Hash = null,
    [Doc("true: lock the account (its hash is prefixed with '!'), keeping the current hash for a later unlock")] bool? Locked = null,
    [Doc("true: disable password login for the account (hash '*')")] bool? Disabled = null);
