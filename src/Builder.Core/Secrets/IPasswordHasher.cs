namespace Builder.Secrets;

/// <summary>crypt(3) methods a guest's /etc/shadow understands.</summary>
public enum PasswordHashMethod
{
    /// <summary>$y$: the default of Debian 11+, Ubuntu 22.04+, Fedora 35+.</summary>
    Yescrypt,

    /// <summary>$6$: understood by every mainstream Linux of the last fifteen years.</summary>
    Sha512,
}

/// <summary>Hashes a password on the build host, so plaintext never enters the guest or any argv.</summary>
public interface IPasswordHasher
{
    /// <param name="salt">Random bytes for the salt (at least 16).</param>
    string Hash(string password, PasswordHashMethod method, ReadOnlySpan<byte> salt);
}
