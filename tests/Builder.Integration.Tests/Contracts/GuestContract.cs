using System.Text;
using Builder.Guests;
using Builder.IntegrationTests.Guestfs;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Contracts;

/// <summary>
/// Every IGuest file operation, the same assertions for each backend, on one session of the tiny
/// template that a subclass's fixture opens; effects are read back from the guest.
/// </summary>
public abstract partial class GuestContract(ITestOutputHelper output)
{
    protected ITestOutputHelper Output => output;

    /// <summary>The session the fixture opened on a fresh overlay of the tiny template.</summary>
    protected abstract IGuest Guest { get; }

    protected abstract TimeSpan OpenElapsed { get; }

    /// <summary>The fixture's scratch folder, for host files to upload.</summary>
    private protected abstract TestWorkspace Workspace { get; }

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    protected static int Octal(string mode) => Convert.ToInt32(mode, 8);

    /// <summary>The backend's message when a directory is written as a file.</summary>
    protected virtual string WritingADirectoryFailsWith => "Is a directory";

    private async Task<string> ReadTextAsync(string path) => Encoding.UTF8.GetString(await Guest.ReadFileAsync(path));

    [Fact]
    public void Inspection_finds_debian_12_with_apt_on_x86_64()
    {
        output.WriteLine($"session opened and inspected in {OpenElapsed.TotalMilliseconds:0} ms");

        Assert.Equal(new GuestInfo("linux", "debian", 12, 0, "apt", "/dev/sda1", "x86_64"), Guest.Info);
    }

    [Fact]
    public async Task Lstat_returns_null_when_nothing_is_there()
    {
        Assert.Null(await Guest.LstatAsync("/no/such/path"));
        Assert.Null(await Guest.LstatAsync("/etc/passwd/child"));
        Assert.Equal(GuestFileType.Symlink, (await Guest.LstatAsync("/bin"))!.Type);
        Assert.Equal(GuestFileType.Directory, (await Guest.LstatAsync("/"))!.Type);
        Assert.Equal(GuestFileType.Directory, (await Guest.LstatAsync("/.."))!.Type);
    }

    [Fact]
    public async Task A_failure_names_the_operation_the_path_and_the_backend_message()
    {
        var error = await Assert.ThrowsAsync<GuestOperationException>(() => Guest.ReadFileAsync("/no/such/file").AsTask());

        Assert.Equal(("read", "/no/such/file"), (error.Operation, error.GuestPath));
        Assert.Equal("No such file or directory", error.BackendMessage);
        Assert.Equal("read /no/such/file: No such file or directory", error.Message);
        var directory = await Assert.ThrowsAsync<GuestOperationException>(() => Guest.WriteFileAsync("/etc", Bytes("x")).AsTask());
        Assert.Equal(("write", "/etc", WritingADirectoryFailsWith), (directory.Operation, directory.GuestPath, directory.BackendMessage));
    }

    [Fact]
    public async Task Concurrent_calls_are_serialized()
    {
        await Guest.MkdirAsync("/srv/parallel");

        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Guest.WriteFileAsync($"/srv/parallel/{i}", Bytes($"{i}\n")).AsTask()));
        var contents = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Guest.ReadFileAsync($"/srv/parallel/{i}").AsTask()));

        Assert.Equal(Enumerable.Range(0, 16).Select(i => $"{i}\n"), contents.Select(c => Encoding.UTF8.GetString(c)));
    }
}
