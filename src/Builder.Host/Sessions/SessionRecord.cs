using System.Text.Json.Serialization;

namespace Builder.Host.Sessions;

/// <summary>What kind of host state a session acquired.</summary>
internal enum ResourceKind
{
    /// <summary>The session's private work folder (export file, mount points).</summary>
    Folder,

    /// <summary>A qemu-storage-daemon FUSE export: <see cref="SessionResource.Path"/> is the export file.</summary>
    Export,

    /// <summary>A loop device on <see cref="SessionResource.Path"/> at an offset.</summary>
    Loop,

    /// <summary>A mount at <see cref="SessionResource.Path"/>.</summary>
    Mount,

    /// <summary>A command's process tree (unshare and its PID namespace): <see cref="SessionResource.Path"/> is the guest root it chroots to.</summary>
    Process,
}

/// <summary>
/// One piece of host state, recorded before it is acquired (what is only known afterwards, a loop
/// device's name or a daemon's pid, is filled in once it is), so that a session killed at any point
/// leaves a record of everything it may have left.
/// </summary>
internal sealed record SessionResource(
    string Id,
    ResourceKind Kind,
    string Path,
    long? Offset = null,
    long? Size = null,
    string? Device = null,
    int? Pid = null,
    ulong? StartTime = null)
{
    public override string ToString() => Kind switch
    {
        ResourceKind.Folder => $"work folder {Path}",
        ResourceKind.Export => $"qemu-storage-daemon{(Pid is { } pid ? $" (pid {pid})" : "")} exporting {Path}",
        ResourceKind.Loop => $"loop device {Device ?? "(not yet known)"} on {Path} at offset {Offset ?? 0}",
        ResourceKind.Mount => $"mount {Path}",
        ResourceKind.Process => $"command process {(Pid is { } pid ? pid.ToString(System.Globalization.CultureInfo.InvariantCulture) : "(not yet known)")} in {Path}",
        _ => $"{Kind} {Path}",
    };
}

/// <summary>A session file: <c>&lt;store&gt;/host-sessions/&lt;name&gt;.json</c>, rewritten atomically on every change.</summary>
/// <param name="StartTime">The owner's start time in clock ticks since boot (/proc/PID/stat field 22): with the pid, it names the process.</param>
internal sealed record SessionRecord(string Name, int Pid, ulong StartTime, IReadOnlyList<SessionResource> Resources);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.KebabCaseLower,
    UseStringEnumConverter = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SessionRecord))]
internal sealed partial class SessionJson : JsonSerializerContext;
