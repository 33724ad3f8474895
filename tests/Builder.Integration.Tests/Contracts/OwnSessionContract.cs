using System.Security.Cryptography;
using System.Text;
using Builder.Guests;
using Builder.IntegrationTests.Guestfs;
using Builder.IntegrationTests.Templates;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Contracts;

/// <summary>
/// Commands whose checks need a session of their own on a debian-12 overlay, the same assertions for
/// each backend: closed (to read the disk back) or without network.
/// </summary>
public abstract class OwnSessionContract(DebianTemplate debian, ITestOutputHelper output, string purpose) : IAsyncLifetime
{
    private readonly OpenedGuests _opened = new(output);

    private protected TestWorkspace Workspace { get; } = TestWorkspace.Create(purpose);

    protected ITestOutputHelper Output => output;

    /// <summary>The shared debian-12 template the overlays are made of.</summary>
    protected DebianTemplate Debian => debian;

    /// <summary>A fresh qcow2 overlay of the shared template, with the template's layout.</summary>
    protected abstract GuestDisk Overlay();

    /// <summary>Opens a session on the disk, without network.</summary>
    private protected abstract Task<(IGuest Guest, TimeSpan Elapsed)> OpenAsync(GuestDisk disk, RecordingEvents events, bool trace);

    /// <summary>The session was traced for real (the script ran), yet <see cref="A_secret_reaches_the_script_and_leaves_no_trace_on_disk_or_in_the_events"/> checks its secret is in no event.</summary>
    private protected abstract void AssertTheCommandWasTraced(RecordingEvents events);

    /// <summary>Nothing of a closed session is left running or mounted on the host.</summary>
    protected abstract void AssertNothingLeftOfTheSession(GuestDisk disk);

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Sessions a failed test did not close are closed before the workspace goes (deleting it would reach into their mounts).</summary>
    public async Task DisposeAsync()
    {
        await _opened.CloseAllAsync();
        Workspace.Dispose();
    }

    /// <summary>Closed with the test class if the test does not close it.</summary>
    protected T Opened<T>(T guest) where T : IGuest => _opened.Add(guest);

    [Fact]
    public async Task A_secret_reaches_the_script_and_leaves_no_trace_on_disk_or_in_the_events()
    {
        var secret = "tok-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var disk = Overlay();
        var events = new RecordingEvents();
        var (guest, opened) = await OpenAsync(disk, events, trace: true);
        CommandRun run;
        byte[] digest;
        await using (guest)
        {
            run = await DebianGuestSupport.RunAsync(guest, new GuestCommand(
                "printf '%s' \"$TOKEN\" | sha256sum | cut -d' ' -f1 > /root/token.sha256\necho stored\n",
                new Dictionary<string, string> { ["TOKEN"] = secret }));
            digest = await guest.ReadFileAsync("/root/token.sha256");
            Assert.NotNull(await guest.LstatAsync("/run/builder"));
        }
        output.WriteLine($"opened in {opened.TotalMilliseconds:0} ms; command returned in {run.Returned.TotalMilliseconds:0} ms");

        Assert.Equal(0, run.Result.ExitCode);
        Assert.Equal(["stored"], run.Lines);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))) + "\n", Encoding.UTF8.GetString(digest));
        AssertTheCommandWasTraced(events);
        // Not even the secret without its prefix is in any event, nor in the overlay's bytes (the session is closed, so all is flushed).
        Assert.DoesNotContain(events.All, e => e.ToString().Contains(secret[4..], StringComparison.Ordinal));
        Assert.Equal(-1, File.ReadAllBytes(disk.Path).AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret[4..])));
        AssertNothingLeftOfTheSession(disk);
        Assert.Contains("No errors were found on the image.", Tools.Run("qemu-img", "check", disk.Path));
        Assert.Equal(debian.Template.Digest, "sha256:" + Tools.Sha256(debian.Template.ImagePath));

        // The staging tmpfs is gone, and so is the folder it was mounted on.
        var (again, _) = await OpenAsync(disk, new RecordingEvents(), trace: false);
        await using (again)
        {
            Assert.Null(await again.LstatAsync("/run/builder"));
            Assert.Equal(GuestFileType.Directory, (await again.LstatAsync("/run"))!.Type);
            Assert.Equal(digest, await again.ReadFileAsync("/root/token.sha256"));
        }
    }

    [Fact]
    public async Task A_command_that_asks_for_the_network_in_a_session_without_it_is_refused()
    {
        var (guest, _) = await OpenAsync(Overlay(), new RecordingEvents(), trace: false);
        await using (guest)
        {
            var error = await Assert.ThrowsAsync<GuestOperationException>(
                () => guest.RunAsync(new GuestCommand("echo never\n", Network: true), _ => { }).AsTask());

            Assert.Contains("network", error.Message, StringComparison.Ordinal);
            var run = await DebianGuestSupport.RunAsync(guest, new GuestCommand("getent hosts deb.debian.org || echo offline\n"));
            Assert.Equal(["offline"], run.Lines);
        }
    }
}
