using System.Text;
using Builder.Guests;

namespace Builder.IntegrationTests.Contracts;

/// <summary>Writing, appending and uploading files: content, mode and owner read back.</summary>
public abstract partial class GuestContract
{
    [Fact]
    public async Task Writes_a_new_file_and_reads_it_back()
    {
        byte[] content = [0, 1, 2, 0xff, .. Bytes("binary and text\n")];

        await Guest.WriteFileAsync("/srv/new.bin", content);

        Assert.Equal(content, await Guest.ReadFileAsync("/srv/new.bin"));
        Assert.Equal(new GuestStat(GuestFileType.Regular, Octal("644"), 0, 0, content.Length), await Guest.LstatAsync("/srv/new.bin"));
    }

    [Fact]
    public async Task Writes_and_appends_empty_content_as_empty_files()
    {
        await Guest.WriteFileAsync("/srv/empty-written", ReadOnlyMemory<byte>.Empty);
        await Guest.AppendFileAsync("/srv/empty-appended", ReadOnlyMemory<byte>.Empty);

        Assert.Equal(0, (await Guest.LstatAsync("/srv/empty-written"))!.Size);
        Assert.Equal(new GuestStat(GuestFileType.Regular, Octal("644"), 0, 0, 0), await Guest.LstatAsync("/srv/empty-appended"));
    }

    [Fact]
    public async Task Rewriting_an_existing_file_keeps_its_mode_and_owner()
    {
        await Guest.WriteFileAsync("/home/alice/notes", Bytes("first\n"));
        await Guest.ChownAsync("/home/alice/notes", 1000, 1000);
        await Guest.ChmodAsync("/home/alice/notes", Octal("600"));
        await Guest.WriteFileAsync("/etc/shadow", Bytes("root:*:19000:0:99999:7:::\n"));
        await Guest.WriteFileAsync("/home/alice/notes", Bytes("second, longer\n"));

        Assert.Equal(Octal("640"), (await Guest.LstatAsync("/etc/shadow"))!.Mode);
        Assert.Equal("root:*:19000:0:99999:7:::\n", await ReadTextAsync("/etc/shadow"));
        Assert.Equal(new GuestStat(GuestFileType.Regular, Octal("600"), 1000, 1000, 15), await Guest.LstatAsync("/home/alice/notes"));
    }

    /// <summary>Larger than one libguestfs protocol message (4 MiB), so the appliance writes it in chunks.</summary>
    [Fact]
    public async Task Writes_and_appends_large_content()
    {
        var first = new byte[5 * 1024 * 1024 + 17];
        var second = new byte[3 * 1024 * 1024];
        new Random(42).NextBytes(first);
        new Random(43).NextBytes(second);

        await Guest.WriteFileAsync("/srv/large.bin", first);
        await Guest.AppendFileAsync("/srv/large.bin", second);

        Assert.Equal(first.Concat(second).ToArray(), await Guest.ReadFileAsync("/srv/large.bin"));
    }

    [Fact]
    public async Task Appends_to_an_existing_file_and_creates_a_missing_one()
    {
        await Guest.AppendFileAsync("/etc/hosts", Bytes("10.0.0.5\tdb\n"));
        await Guest.AppendFileAsync("/srv/appended.txt", Bytes("one\n"));
        await Guest.AppendFileAsync("/srv/appended.txt", Bytes("two\n"));

        Assert.EndsWith("ip6-loopback\n10.0.0.5\tdb\n", await ReadTextAsync("/etc/hosts"));
        Assert.Equal("one\ntwo\n", await ReadTextAsync("/srv/appended.txt"));
        Assert.Equal(Octal("644"), (await Guest.LstatAsync("/srv/appended.txt"))!.Mode);
    }

    [Fact]
    public async Task Uploads_a_host_file_replacing_the_guest_file()
    {
        var hostFile = Workspace.File("nginx.conf");
        await File.WriteAllTextAsync(hostFile, "worker_processes 2;\n");
        await Guest.WriteFileAsync("/srv/nginx.conf", Bytes("old and longer content\n"));
        await Guest.ChmodAsync("/srv/nginx.conf", Octal("600"));

        await Guest.UploadAsync(hostFile, "/srv/nginx.conf");
        await Guest.UploadAsync(hostFile, "/srv/fresh.conf");

        Assert.Equal("worker_processes 2;\n", await ReadTextAsync("/srv/nginx.conf"));
        Assert.Equal(Octal("600"), (await Guest.LstatAsync("/srv/nginx.conf"))!.Mode);
        Assert.Equal(new GuestStat(GuestFileType.Regular, Octal("644"), 0, 0, 20), await Guest.LstatAsync("/srv/fresh.conf"));
        var missing = await Assert.ThrowsAsync<GuestOperationException>(() => Guest.UploadAsync(Workspace.File("absent"), "/srv/x").AsTask());
        Assert.Equal("upload", missing.Operation);
    }
}
