using System.Security.Cryptography;
using System.Text;
using Builder.Guests;
using Builder.IntegrationTests.Guestfs;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Host;

/// <summary>
/// Guest symlinks never lead outside the guest: with /etc/evil -> / and /etc/x -> ../../../../tmp/host-file-NONCE
/// planted, every operation through them lands in the guest and the host's /tmp is untouched. The overlay is
/// then read back through a libguestfs appliance, which shows the writes really are in it.
/// </summary>
[Collection(ApplianceCollection.Name)]
public sealed class HostContainmentTests(ITestOutputHelper output) : IDisposable
{
    private readonly TestWorkspace _workspace = TestWorkspace.Create("host-containment");
    private readonly string _nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Writes_through_planted_symlinks_land_in_the_guest_and_never_on_the_host()
    {
        var hostFile = $"/tmp/host-file-{_nonce}";
        var hostFolder = $"/tmp/host-dir-{_nonce}";
        await File.WriteAllTextAsync(hostFile, "host\n");
        File.SetUnixFileMode(hostFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Directory.CreateDirectory(hostFolder);
        var upload = _workspace.File("upload.txt");
        await File.WriteAllTextAsync(upload, "uploaded\n");
        var tree = Directory.CreateDirectory(_workspace.File("tree")).FullName;
        await File.WriteAllTextAsync(Path.Combine(tree, "copied.txt"), "copied\n");
        var template = _workspace.BuildTinyTemplate();
        var overlay = _workspace.CreateOverlay(template);
        try
        {
            var (guest, _) = await HostTools.OpenAsync(HostTools.Backend(_workspace.File("store")), new GuestDisk(overlay, "qcow2"), new RecordingEvents());
            await using (guest)
            {
                await guest.SymlinkAsync("/", "/etc/evil");
                await guest.SymlinkAsync($"../../../../tmp/host-file-{_nonce}", "/etc/x");
                await guest.SymlinkAsync($"../../../../tmp/host-dir-{_nonce}", "/etc/xd");

                await guest.WriteFileAsync("/etc/x", Bytes("guest\n"));
                await guest.AppendFileAsync("/etc/x", Bytes("more\n"));
                await guest.ChmodAsync("/etc/x", Convert.ToInt32("777", 8));
                await guest.ChownAsync($"/etc/evil/tmp/host-file-{_nonce}", 1000, 1000);
                await guest.WriteFileAsync("/etc/evil/tmp/via-evil", Bytes("evil\n"));
                // mkdir -p through a dangling link fails, as in the appliance: the folder it names is made through the other link first.
                await Assert.ThrowsAsync<GuestOperationException>(() => guest.MkdirAsync("/etc/xd/made").AsTask());
                await guest.MkdirAsync($"/etc/evil/tmp/host-dir-{_nonce}");
                await guest.MkdirAsync("/etc/xd/made/deeper");
                await guest.UploadAsync(upload, "/etc/evil/etc/../../tmp/uploaded");
                await guest.CopyInAsync(tree, "/etc/xd");
                await guest.SymlinkAsync("/etc/passwd", "/etc/evil/tmp/new-link");
                Assert.Equal("tiny\n", Encoding.UTF8.GetString(await guest.ReadFileAsync("/etc/evil/etc/hostname")));
                Assert.Equal("tiny\n", Encoding.UTF8.GetString(await guest.ReadFileAsync("/etc/evil/../../etc/hostname")));
                Assert.Equal([$"/etc/evil/tmp/host-dir-{_nonce}", $"/etc/evil/tmp/host-file-{_nonce}"], await guest.GlobAsync("/etc/evil/tmp/host-*"));
                await guest.DeleteAsync("/etc/evil/tmp/new-link");
                await guest.DeleteAsync("/etc/evil");

                Assert.Null(await guest.LstatAsync("/etc/evil"));
                Assert.Equal(GuestFileType.Directory, (await guest.LstatAsync("/etc"))!.Type);
                Assert.Equal(new GuestStat(GuestFileType.Regular, Convert.ToInt32("777", 8), 1000, 1000, 11), await guest.LstatAsync($"/tmp/host-file-{_nonce}"));
            }

            Assert.Equal("host\n", await File.ReadAllTextAsync(hostFile));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(hostFile));
            Assert.Equal((0, 0), Owner(hostFile));
            Assert.Empty(Directory.EnumerateFileSystemEntries(hostFolder));
            Assert.False(File.Exists("/tmp/via-evil") || File.Exists("/tmp/uploaded") || File.Exists("/tmp/new-link"));
            Assert.Empty(HostTools.LeftBehind(_workspace.Path));
            Assert.Contains("No errors were found on the image.", HostTools.QemuImgCheck(overlay));

            // Read back in a libguestfs appliance: the overlay holds what the host session wrote.
            var appliance = await Tools.Backend(_workspace.File("appliance-store")).OpenAsync(
                new GuestDisk(overlay, "qcow2"), new GuestSessionOptions(Accelerator.Auto, TimeSpan.FromMinutes(5), Trace: false),
                new RecordingEvents(), CancellationToken.None);
            await using (appliance)
            {
                Assert.Equal("guest\nmore\n", Encoding.UTF8.GetString(await appliance.ReadFileAsync($"/tmp/host-file-{_nonce}")));
                Assert.Equal(new GuestStat(GuestFileType.Regular, Convert.ToInt32("777", 8), 1000, 1000, 11), await appliance.LstatAsync($"/tmp/host-file-{_nonce}"));
                Assert.Equal("evil\n", Encoding.UTF8.GetString(await appliance.ReadFileAsync("/tmp/via-evil")));
                Assert.Equal("uploaded\n", Encoding.UTF8.GetString(await appliance.ReadFileAsync("/tmp/uploaded")));
                Assert.Equal("copied\n", Encoding.UTF8.GetString(await appliance.ReadFileAsync($"/tmp/host-dir-{_nonce}/copied.txt")));
                Assert.Equal(GuestFileType.Directory, (await appliance.LstatAsync($"/tmp/host-dir-{_nonce}/made/deeper"))!.Type);
                Assert.Equal($"../../../../tmp/host-file-{_nonce}", await appliance.ReadLinkAsync("/etc/x"));
                Assert.Null(await appliance.LstatAsync("/etc/evil"));
                Assert.Null(await appliance.LstatAsync("/tmp/new-link"));
            }
            output.WriteLine("the appliance reads back every write made through the planted links");
        }
        finally
        {
            File.Delete(hostFile);
            Directory.Delete(hostFolder, recursive: true);
        }
    }

    private static (int, int) Owner(string path)
    {
        var fields = Tools.Run("stat", "-c", "%u %g", path).Trim().Split(' ');
        return (int.Parse(fields[0]), int.Parse(fields[1]));
    }

    public void Dispose() => _workspace.Dispose();
}
