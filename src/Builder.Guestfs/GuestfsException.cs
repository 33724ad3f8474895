namespace Builder.Guestfs;

/// <summary>A libguestfs call returned an error: the function, guestfs_last_error and guestfs_last_errno.</summary>
public sealed class GuestfsException(string function, string message, int errno)
    : Exception(errno == 0 ? $"{function}: {message}" : $"{function}: {message} (errno {errno})")
{
    public string Function { get; } = function;

    /// <summary>guestfs_last_error as libguestfs wrote it, including any multi-line advice.</summary>
    public string LibraryMessage { get; } = message;

    /// <summary>The first line of the message, without libguestfs's "export LIBGUESTFS_DEBUG=1 …" advice.</summary>
    public string Summary { get; } = message.Split('\n', 2)[0].Trim();

    public int Errno { get; } = errno;
}
