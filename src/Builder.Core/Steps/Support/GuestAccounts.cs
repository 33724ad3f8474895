using System.Globalization;
using Builder.Guests;

namespace Builder.Steps.Support;

/// <summary>A user from the guest's /etc/passwd.</summary>
internal sealed record GuestUser(string Name, int Uid, int Gid, string Home);

/// <summary>Looks up users and groups in the guest's own /etc/passwd and /etc/group (never the host's).</summary>
internal static class GuestAccounts
{
    public static async Task<GuestUser> UserAsync(IGuest guest, string nameOrId, CancellationToken cancellationToken)
    {
        var passwd = await GuestText.ReadAsync(guest, "/etc/passwd", cancellationToken);
        foreach (var fields in GuestText.Lines(passwd).Select(l => l.Split(':')).Where(f => f.Length >= 7))
        {
            if (fields[0] == nameOrId || fields[2] == nameOrId)
                return new GuestUser(fields[0], Number(fields[2]), Number(fields[3]), fields[5]);
        }
        if (IsNumber(nameOrId)) return new GuestUser(nameOrId, Number(nameOrId), Number(nameOrId), "/");
        throw new StepFailedException($"the user '{nameOrId}' does not exist in the guest's /etc/passwd",
            "create the user first, or use a numeric id");
    }

    public static async Task<int> GroupIdAsync(IGuest guest, string nameOrId, CancellationToken cancellationToken)
    {
        if (IsNumber(nameOrId)) return Number(nameOrId);
        var group = await GuestText.ReadIfExistsAsync(guest, "/etc/group", cancellationToken) ?? "";
        foreach (var fields in GuestText.Lines(group).Select(l => l.Split(':')).Where(f => f.Length >= 3))
        {
            if (fields[0] == nameOrId) return Number(fields[2]);
        }
        throw new StepFailedException($"the group '{nameOrId}' does not exist in the guest's /etc/group",
            "create the group first, or use a numeric id");
    }

    private static bool IsNumber(string text) => text.Length > 0 && text.All(char.IsAsciiDigit);

    private static int Number(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
