using System.Text;
using Builder.Guests;
using Builder.Images;
using Builder.IntegrationTests.Guestfs;
using Builder.IntegrationTests.Host;
using Builder.IntegrationTests.Pipeline;
using Builder.Reproducibility;

namespace Builder.IntegrationTests.Reproducibility;

/// <summary>
/// <see cref="IGuest.TreeAsync"/> on both backends: the same image gives the same entries, field
/// for field (times and xattrs included); symlinks are listed, never followed, even one to "/";
/// and reading the tree leaves the image as it was.
/// </summary>
public sealed class GuestTreeTests : IDisposable
{
    private readonly BuildWorkspace workspace = BuildWorkspace.Create("tree");

    public void Dispose() => workspace.Dispose();

    [Fact]
    public async Task Both_backends_list_the_same_entries_and_never_follow_a_symlink()
    {
        var image = Path.Combine(workspace.Path, "changed.qcow2");
        Tools.Run("qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", workspace.Template, image);
        var guest = await HostTools.Backend(workspace.Store).OpenAsync(new GuestDisk(image, "qcow2"), HostTools.Options(), new RecordingEvents(),
            CancellationToken.None);
        await using (guest)
        {
            await guest.SymlinkAsync("/", "/etc/evil");
            await guest.MkdirAsync("/srv/app");
            await guest.WriteFileAsync("/srv/app/tool", Encoding.UTF8.GetBytes("#!/bin/sh\n"));
            await guest.ChmodAsync("/srv/app/tool", 0x9ED); // 4755
            await guest.ChownAsync("/srv/app", 1000, 1000);
            await guest.WriteFileAsync("/srv/empty", ReadOnlyMemory<byte>.Empty);
        }
        var sha256 = Tools.Sha256(image);
        var reader = new ImageTreeReader(new QemuImg());

        var host = await reader.ReadAsync(image, HostTools.Backend(workspace.Store), HostTools.Options(), new RecordingEvents(), CancellationToken.None);
        var appliance = await reader.ReadAsync(image, Tools.Backend(workspace.Store), HostTools.Options(), new RecordingEvents(), CancellationToken.None);

        Assert.Equal(host.Select(Line), appliance.Select(Line));
        var evil = Assert.Single(host, e => e.Path == "/etc/evil");
        Assert.Equal((GuestTreeEntryType.Symlink, "/"), (evil.Type, evil.Target));
        Assert.DoesNotContain(host, e => e.Path.StartsWith("/etc/evil/", StringComparison.Ordinal));
        Assert.Contains(host, e => e is { Path: "/srv/app/tool", Mode: 0x9ED, Size: 10 });
        Assert.Contains(host, e => e is { Path: "/srv/app", Uid: 1000, Gid: 1000, Type: GuestTreeEntryType.Directory });
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([])), host.Single(e => e.Path == "/srv/empty").Sha256);
        Assert.Equal("/", host[0].Path);
        Assert.Equal(host.Select(e => e.Path).Order(StringComparer.Ordinal), host.Select(e => e.Path));
        Assert.Equal(sha256, Tools.Sha256(image));
        Assert.Empty(workspace.HostLeftovers());
    }

    /// <summary>Every field, so that the two backends must agree on all of them.</summary>
    private static string Line(GuestTreeEntry e) =>
        $"{e.Path} {e.Type} {TreeDigest.Mode(e.Mode)} {e.Uid}:{e.Gid} {e.Size} {e.Sha256} {e.Target} {e.Device} {e.Modified} " +
        string.Join(",", e.Xattrs.Select(x => $"{x.Key}={x.Value}"));
}
