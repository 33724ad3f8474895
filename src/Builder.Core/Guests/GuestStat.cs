namespace Builder.Guests;

public enum GuestFileType { Regular, Directory, Symlink, Other }

/// <summary>The result of lstat on a guest path.</summary>
/// <param name="Mode">Permission bits only (07777).</param>
public sealed record GuestStat(GuestFileType Type, int Mode, int Uid, int Gid, long Size);
